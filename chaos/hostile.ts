// A thousand malformed or hostile requests, the same on every run (seeded): what a fuzzer, a
// broken client or an attacker sends. None may get a 5xx or take the gateway down; each kind
// says what it tries. Input validation proper (NUL bytes, out-of-range integers, forged
// cursors) is tried too, to report what is seen.
import { createRandom, type Random } from '../bench/prng.js';
import type { Exchange } from './http.js';

/** Uniform integer in [min, max]. */
const between = (r: Random, min: number, max: number) => min + r.int(max - min + 1);

export interface HostileRequest extends Exchange {
  kind: string;
}

const JSON_HEADERS = { 'content-type': 'application/json' };
const post = (kind: string, body: Buffer | string, headers: Record<string, string> = JSON_HEADERS): HostileRequest => ({
  kind,
  method: 'POST',
  path: '/graphql',
  headers,
  body,
});
const postJson = (kind: string, payload: unknown) => post(kind, JSON.stringify(payload));
const get = (kind: string, params: Record<string, string>): HostileRequest => ({
  kind,
  method: 'GET',
  path: `/graphql?${new URLSearchParams(params)}`,
  headers: { accept: 'application/json' },
});

const SERVICE_FIELDS = 'serviceId status started { timestamp } extensions';

/** `levels` nested arrays or objects around a value, built without recursion. */
function nested(levels: number, objects: boolean): string {
  return objects ? `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}` : `${'['.repeat(levels)}1${']'.repeat(levels)}`;
}

const generators: Record<string, (r: Random) => HostileRequest> = {
  'deep selection': (r) => {
    const depth = between(r, 16, 400);
    let selection = 'serviceId';
    for (let i = 0; i < depth; i++) selection = i % 2 ? `service { ${selection} }` : `states { nodes { ${selection} } }`;
    return postJson('deep selection', { query: `{ service(serviceId: "1") { ${selection} } }` });
  },
  'deep variables': (r) => {
    const levels = r.pick([1000, 5000, 12_000, 50_000]);
    const where = between(r, 0, 3);
    const deep = nested(levels, r.next() < 0.5);
    const bodies = [
      `{"query":"query($a: JSONObject!) { identifyCustomers(attributes: $a) { customerId } }","variables":{"a":{"Phone":${deep}}}}`,
      `{"query":"mutation($i: StartServiceInput!) { startService(input: $i) { service { serviceId } } }","variables":{"i":{"contactKey":"k","extensions":{"x":${deep}}}}}`,
      `{"query":"{ __typename }","variables":{"v":${deep}}}`,
      `{"query":"{ __typename }","extensions":{"e":${deep}}}`,
    ];
    return post('deep variables', bodies[where]);
  },
  'alias flood': (r) => {
    const n = between(r, 16, 3000);
    return postJson('alias flood', { query: `{ ${Array.from({ length: n }, (_, i) => `a${i}: __typename`).join(' ')} }` });
  },
  'directive flood': (r) => {
    const n = between(r, 21, 3000);
    return postJson('directive flood', { query: `{ __typename ${'@include(if: true) '.repeat(n)}}` });
  },
  'field flood': (r) => {
    const n = between(r, 500, 20_000);
    return postJson('field flood', { query: `{ ${'__typename '.repeat(n)}}` });
  },
  'huge body': (r) => {
    const size = between(r, 1_100_000, 3_000_000);
    const body = `{"query":"{ __typename }","variables":{"pad":"${'x'.repeat(size)}"}}`;
    return { ...post('huge body', body), chunked: r.next() < 0.5 };
  },
  'large variables': (r) => {
    const size = between(r, 100_000, 900_000);
    return postJson('large variables', {
      query: `mutation($i: StartServiceInput!) { startService(input: $i) { service { serviceId } } }`,
      variables: { i: { contactKey: 'k', sessionId: 'x'.repeat(size) } },
    });
  },
  'invalid json': (r) =>
    post(
      'invalid json',
      r.pick([
        '{',
        '{"query":',
        'nul',
        '{"query": "{ __typename }",}',
        "{'query': '{ __typename }'}",
        '{"query": "{ __typename }"}}}',
        '\u0000\u0001\u0002',
        '[',
        '"just a string"',
        '{"query": "\\ud800"}',
      ]),
    ),
  'invalid utf-8': (r) => {
    const bad = Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80]);
    const where = between(r, 0, 3);
    if (where === 3) return { kind: 'invalid utf-8', method: 'GET', path: '/graphql?query=%7B%20__typename%20%FF%FE%7D', headers: {} };
    const [head, tail] = [
      ['{"query":"{ __typename ', '}"}'],
      ['{"query":"query($k: String!) { anonymousServices(contactKey: $k) { totalCount } }","variables":{"k":"', '"}}'],
      ['{"query":"{ __typename }","operationName":"', '"}'],
    ][where];
    return post('invalid utf-8', Buffer.concat([Buffer.from(head), bad, Buffer.from(tail)]));
  },
  'wrong types': (r) =>
    postJson(
      'wrong types',
      r.pick<unknown>([
        { query: 42 },
        { query: ['{ __typename }'] },
        { query: { a: 1 } },
        { query: null },
        {},
        { query: '{ __typename }', variables: 'a string' },
        { query: '{ __typename }', variables: [1, 2] },
        { query: '{ __typename }', operationName: 7 },
        { query: '{ __typename }', extensions: 'x' },
        { query: 'query($n: Int) { anonymousServices(contactKey: "k", first: $n) { totalCount } }', variables: { n: 'ten' } },
        { query: 'mutation($i: StartServiceInput!) { startService(input: $i) { service { serviceId } } }', variables: { i: 'x' } },
        { query: 'mutation($i: StartServiceInput!) { startService(input: $i) { service { serviceId } } }', variables: { i: [1] } },
        { query: 'mutation($i: StartServiceInput!) { startService(input: $i) { service { serviceId } } }', variables: {} },
        { query: 'query($id: ID!) { service(serviceId: $id) { serviceId } }', variables: { id: { x: 1 } } },
        { query: 'query($id: ID!) { service(serviceId: $id) { serviceId } }', variables: { id: true } },
      ]),
    ),
  batch: (r) => {
    const item = { query: '{ __typename }' };
    const batches: unknown[] = [
      [],
      [null],
      [null, null],
      [1],
      ['{ __typename }'],
      [[item]],
      [item, null],
      Array.from({ length: between(r, 6, 200) }, () => item),
      [item, { query: 42 }],
      [{ extensions: { persistedQuery: { version: 1, sha256Hash: 'abc' } } }, null],
    ];
    return postJson('batch', r.pick(batches));
  },
  'bad cursor': (r) => {
    const cursor = r.pick([
      'garbage',
      '',
      '====',
      Buffer.from('not a cursor').toString('base64'),
      Buffer.from(JSON.stringify({ id: 'x' })).toString('base64'),
      'A'.repeat(between(r, 1000, 50_000)),
      Buffer.from('\u0000\u0001').toString('base64'),
      Buffer.from('9999999999999999999999:1').toString('base64'),
    ]);
    const query = r.pick([
      `query($c: String) { anonymousServices(contactKey: "k", first: 5, after: $c) { nodes { ${SERVICE_FIELDS} } } }`,
      `query($c: String) { customer(customerId: "C1") { services(after: $c) { nodes { ${SERVICE_FIELDS} } } } }`,
    ]);
    return postJson('bad cursor', { query, variables: { c: cursor } });
  },
  'bad GET parameters': (r) =>
    get(
      'bad GET parameters',
      r.pick<Record<string, string>>([
        { query: '{ __typename }', variables: '{not json' },
        { query: '{ __typename }', extensions: '{not json' },
        { query: '{ __typename }', variables: '[1' },
        { query: '{ __typename }', extensions: 'persistedQuery' },
        { query: '{ __typename }', variables: '"text"' },
        { variables: '{}' },
        { query: 'mutation { startService(input: { contactKey: "k" }) { service { serviceId } } }' },
        { query: '{'.repeat(between(r, 1, 3000)) },
      ]),
    ),
  'content type': (r) => {
    const [type, body] = r.pick([
      ['text/plain', '{ __typename }'],
      ['application/graphql', '{ __typename }'],
      ['multipart/form-data; boundary=x', '--x\r\ngarbage'],
      ['application/x-www-form-urlencoded', 'query=%7B__typename%7D'],
      ['application/json; charset=latin1', '{"query":"{ __typename }"}'],
      ['', '{"query":"{ __typename }"}'],
      ['application/json', ''],
    ]);
    return post('content type', body, type ? { 'content-type': type } : {});
  },
  'persisted queries': (r) =>
    postJson(
      'persisted queries',
      r.pick<unknown>([
        { extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } },
        { extensions: { persistedQuery: { version: 2, sha256Hash: 'abc' } } },
        { extensions: { persistedQuery: { version: 1, sha256Hash: 42 } } },
        { extensions: { persistedQuery: { version: 1, sha256Hash: 'x'.repeat(100_000) } } },
        { extensions: { persistedQuery: null } },
        { query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } } },
      ]),
    ),
  'syntax and unknowns': (r) =>
    postJson(
      'syntax and unknowns',
      r.pick<unknown>([
        { query: '{ nope }' },
        { query: '{ service(serviceId: "1") { nope } }' },
        { query: 'query A { __typename } query B { __typename }' },
        { query: '{ __typename }', operationName: 'Missing' },
        { query: '{ __schema { types { name } } }' },
        { query: 'subscription { x }' },
        { query: `{ "${'x'.repeat(between(r, 10, 10_000))}` },
        { query: 'fragment F on Query { ...F } { ...F }' },
      ]),
    ),
  'out-of-range numbers': (r) =>
    postJson(
      'out-of-range numbers',
      r.pick<unknown>([
        { query: '{ anonymousServices(contactKey: "k", first: 2147483648) { totalCount } }' },
        { query: '{ anonymousServices(contactKey: "k", first: -1) { totalCount } }' },
        { query: '{ service(serviceId: "99999999999999999999999") { serviceId } }' },
        { query: '{ service(serviceId: "-1") { serviceId } }' },
        {
          query:
            'mutation { startService(input: { contactKey: "k", estDuration: 2147483647, resourceId: 2147483647 }) { service { serviceId } } }',
        },
        { query: '{ service(serviceId: "1e400") { serviceId } }' },
      ]),
    ),
  'NUL bytes': (r) =>
    postJson('NUL bytes', {
      query: r.pick([
        'mutation($k: String) { startService(input: { contactKey: $k }) { service { serviceId } } }',
        'query($k: String!) { anonymousServices(contactKey: $k) { totalCount } }',
      ]),
      variables: { k: `a\u0000b` },
    }),
  'identify flood': (r) => {
    const values = Array.from({ length: r.pick([1000, 5000, 20_000]) }, (_, i) => `+33 6 ${String(i).padStart(8, '0')}`);
    return postJson('identify flood', {
      query: 'query($a: JSONObject!) { identifyCustomers(attributes: $a) { customerId } }',
      variables: { a: { PhoneNumber: values } },
    });
  },
};

/** How many of each kind among a thousand. */
const MIX: Record<string, number> = {
  'deep selection': 60,
  'deep variables': 60,
  'alias flood': 50,
  'directive flood': 50,
  'field flood': 40,
  'huge body': 30,
  'large variables': 20,
  'invalid json': 80,
  'invalid utf-8': 70,
  'wrong types': 105,
  batch: 80,
  'bad cursor': 60,
  'bad GET parameters': 70,
  'content type': 50,
  'persisted queries': 40,
  'syntax and unknowns': 50,
  'out-of-range numbers': 40,
  'NUL bytes': 30,
  'identify flood': 15,
};

/** `count` hostile requests (1000 by default: the mix above), in a shuffled but fixed order. */
export function hostileRequests(count = 1000, seed = 16): HostileRequest[] {
  const r = createRandom(seed);
  const total = Object.values(MIX).reduce((a, b) => a + b, 0);
  const requests: HostileRequest[] = [];
  for (const [kind, share] of Object.entries(MIX)) {
    const n = Math.round((share / total) * count);
    for (let i = 0; i < n; i++) requests.push(generators[kind](r));
  }
  for (let i = requests.length - 1; i > 0; i--) {
    const j = Math.floor(r.next() * (i + 1));
    [requests[i], requests[j]] = [requests[j], requests[i]];
  }
  return requests;
}
