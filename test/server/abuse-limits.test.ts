import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type HttpResponse, type TestGateway } from '../support/gateway.js';
import { AGENT_DESKTOP } from '../support/operations.js';

let t: TestGateway;
beforeAll(async () => {
  t = await createTestGateway({ EXTENSIONS_MODE: 'schemaless' });
  const { serviceId } = (
    await t.ok('mutation { startService(input: { customerId: "C1", extensions: { a: { b: 1 } } }) { service { serviceId } } }')
  ).startService.service;
  const { stateId } = (await t.ok(`mutation { startState(input: { serviceId: "${serviceId}" }) { state { stateId } } }`)).startState.state;
  await t.ok(`mutation { startTask(input: { serviceId: "${serviceId}", stateId: "${stateId}" }) { task { taskId } } }`);
});
afterAll(() => t.close());

/** Sends `body` and asserts it is refused for `limit` before any SQL ran. */
async function expectRefused(body: unknown, limit: string, message: RegExp): Promise<void> {
  let response: HttpResponse | undefined;
  const statements = await t.recordQueries(async () => {
    response = await t.post(body);
  });
  expect(statements).toEqual([]);
  expect(response!.status).toBe(400);
  expect(response!.body.data).toBeUndefined();
  expect(response!.body.errors).toEqual([{ message: expect.stringMatching(message), extensions: { code: 'QUERY_LIMIT_EXCEEDED', limit } }]);
}

function nested(depth: number): string {
  let selection = 'customerId';
  for (let i = 0; i < depth; i++) selection = `services(first: 1) { nodes { customer { ${selection} } } }`;
  return `{ customer(customerId: "C1") { ${selection} } }`;
}

describe('cost', () => {
  it('lets the agent-desktop read through with 50 services', async () => {
    const response = await t.post({ query: AGENT_DESKTOP, variables: { c: 'C1', services: 50 } });
    expect(response.body.errors).toBeUndefined();
    const [edge] = response.body.data.customer.services.edges;
    expect(edge.node.states.nodes[0].tasks.nodes).toHaveLength(1);
  });

  it('refuses it with 100 services, counting the page size from variables, before any SQL', async () => {
    // 100 services x (1 + 50 states x (1 + 50 tasks) + 50 tasks) = 260,100 items.
    await expectRefused(
      { query: AGENT_DESKTOP, variables: { c: 'C1', services: 100 } },
      'cost',
      /Query cost limit of 200000 exceeded, found 260100/,
    );
  });

  it('charges nothing for __typename, which client caches add to every selection', async () => {
    const typed = AGENT_DESKTOP.replace(/\{/g, '{ __typename ');
    expect(typed.match(/__typename/g)!.length).toBeGreaterThan(10);
    await expectRefused({ query: typed, variables: { c: 'C1', services: 100 } }, 'cost', /found 260100/);
  });

  it('counts the default page size when `first` is left out', async () => {
    // 50 services x (1 + 50 states x (1 + 50 tasks)) = 127,550 items, twice.
    const tree = 'anonymousServices(contactKey: "k") { nodes { states { nodes { tasks { nodes { taskId } } } } } }';
    await t.ok(`{ ${tree} }`);
    await expectRefused({ query: `{ a: ${tree} b: ${tree} }` }, 'cost', /found 255100/);
  });
});

describe('document shape', () => {
  it('refuses a deep document', async () => {
    await t.ok(nested(4));
    await expectRefused({ query: nested(5) }, 'depth', /Query depth limit of 15 exceeded, found 17/);
  });

  it('refuses too many aliases', async () => {
    const aliases = (n: number) =>
      `{ ${Array.from({ length: n }, (_, i) => `a${i}: service(serviceId: "${i + 1}") { serviceId }`).join(' ')} }`;
    await t.ok(aliases(15));
    await expectRefused({ query: aliases(16) }, 'aliases', /Aliases limit of 15 exceeded, found 16/);
  });

  it('refuses too many directives', async () => {
    const directives = (n: number) => `{ service(serviceId: "1") { serviceId ${'@include(if: true) '.repeat(n)} } }`;
    await expectRefused({ query: directives(21) }, 'directives', /Directives limit of 20 exceeded, found 21/);
  });

  it('refuses too many tokens while parsing', async () => {
    // One token per list item, and 15 for the rest.
    const document = (items: number) =>
      `{ anonymousServices(contactKey: "k", serviceTypes: [${Array.from({ length: items }, (_, i) => i + 1).join(' ')}]) { totalCount } }`;
    expect(await t.ok(document(1985))).toEqual({ anonymousServices: { totalCount: 0 } });
    await expectRefused({ query: document(1986) }, 'tokens', /Token limit of 2000 exceeded/);
  });
});

describe('request size', () => {
  it('refuses a body over MAX_BODY_BYTES with 413', async () => {
    const response = await t.post({ query: '{ __typename }', variables: { padding: 'x'.repeat(1024 * 1024) } });
    expect(response.status).toBe(413);
    expect(response.body.errors).toEqual([{ message: 'Request body too large', extensions: { code: 'REQUEST_ENTITY_TOO_LARGE' } }]);
  });

  // A client may announce the length (most do), or stream the body in chunks without one.
  const send = async (body: string | ReadableStream<Uint8Array>, headers: Record<string, string> = {}) => {
    const response = await t.gateway.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
      body,
      ...(typeof body === 'string' ? {} : { duplex: 'half' }),
    } as RequestInit);
    return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: unknown[] } };
  };
  const chunked = (text: string, chunkSize: number) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        const bytes = new TextEncoder().encode(text);
        for (let i = 0; i < bytes.length; i += chunkSize) controller.enqueue(bytes.subarray(i, i + chunkSize));
        controller.close();
      },
    });
  const padded = (bytes: number) => {
    const shell = JSON.stringify({ query: '{ __typename }', variables: { padding: '' } });
    return JSON.stringify({ query: '{ __typename }', variables: { padding: 'x'.repeat(bytes - shell.length) } });
  };
  const TOO_LARGE = [{ message: 'Request body too large', extensions: { code: 'REQUEST_ENTITY_TOO_LARGE' } }];

  it('takes a body of exactly MAX_BODY_BYTES, announced or chunked, and refuses one byte more', async () => {
    const limit = 1024 * 1024;
    const exact = padded(limit);
    expect(Buffer.byteLength(exact)).toBe(limit);
    for (const response of [await send(exact, { 'content-length': String(limit) }), await send(chunked(exact, 64 * 1024))]) {
      expect(response).toEqual({ status: 200, body: { data: { __typename: 'Query' } } });
    }
    const over = padded(limit + 1);
    for (const response of [await send(over, { 'content-length': String(limit + 1) }), await send(chunked(over, 64 * 1024))]) {
      expect(response).toEqual({ status: 413, body: { errors: TOO_LARGE } });
    }
  });

  it('refuses a malformed Content-Length with 400 before reading the body', async () => {
    for (const value of ['-1', '12, 12', 'abc']) {
      expect(await send('{"query":"{ __typename }"}', { 'content-length': value })).toEqual({
        status: 400,
        body: { errors: [{ message: 'Content-Length header is invalid.', extensions: { code: 'BAD_REQUEST' } }] },
      });
    }
  });

  it('keeps multi-byte characters split across chunks whole', async () => {
    const customerId = 'é€😀'.repeat(50);
    const text = JSON.stringify({
      query: 'mutation($c: String!) { createCustomer(input: { customerId: $c }) { customer { customerId } } }',
      variables: { c: customerId },
    });
    expect((await send(chunked(text, 7))).body).toEqual({ data: { createCustomer: { customer: { customerId } } } });
  });

  it('runs up to MAX_BATCH operations in one request, and refuses more', async () => {
    const ok = await t.post(Array.from({ length: 5 }, () => ({ query: '{ __typename }' })));
    expect(ok.status).toBe(200);
    expect(ok.body).toHaveLength(5);
    const refused = await t.post(Array.from({ length: 6 }, () => ({ query: '{ __typename }' })));
    expect(refused.status).toBe(413);
    expect(refused.body.errors?.[0]).toMatchObject({ message: 'Batching is limited to 5 operations per request.' });
  });
});

describe('introspection and GraphiQL', () => {
  let closed: TestGateway;
  beforeAll(async () => {
    closed = await createTestGateway({ INTROSPECTION: 'false', GRAPHIQL: 'false' });
  });
  afterAll(() => closed.close());

  it('are on in development', async () => {
    expect((await t.ok('{ __schema { queryType { name } } }')).__schema.queryType.name).toBe('Query');
    const page = await t.gateway.fetch('http://gateway.test/graphql', { headers: { accept: 'text/html' } });
    expect(await page.text()).toContain('<title>Context gateway</title>');
  });

  it('can be turned off: no introspection, no field suggestions, no GraphiQL page', async () => {
    const introspection = await closed.post({ query: '{ __schema { queryType { name } } }' });
    expect(introspection.status).toBe(400);
    expect(introspection.body.errors?.[0]).toMatchObject({ extensions: { code: 'INTROSPECTION_DISABLED' } });
    expect((await closed.post({ query: '{ __type(name: "Query") { name } }' })).body.errors?.[0].extensions.code).toBe(
      'INTROSPECTION_DISABLED',
    );
    expect((await closed.post({ query: '{ __typename }' })).body).toEqual({ data: { __typename: 'Query' } });
    const typo = await closed.post({ query: '{ servic(serviceId: "1") { serviceId } }' });
    expect(typo.body.errors?.[0].message).not.toMatch(/Did you mean/);
    const page = await closed.gateway.fetch('http://gateway.test/graphql', { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toContain('<title>');
  });
});
