// The JSON-text path (src/tree/*-as-json.ts) and the executor must answer alike, byte for byte,
// errors included. The documents are generated from the schema (test/support/selections.ts): every
// field of every type under each root field and write the JSON-text path serves, in every form a
// client may write it. A field added to a node type is covered without anyone listing it; a root
// field or write added to that path needs its ids or input below, or this test fails.
import { type GraphQLField, type GraphQLObjectType, getNamedType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../src/schema.js';
import { createTestGateway, type HttpResponse, type TestGateway } from '../support/gateway.js';
import { connectionsOf, type Generated, mutationDocument, rootQuery, type Scope, type Style } from '../support/selections.js';

let served: TestGateway;
let executed: TestGateway;
const ids: Record<string, string> = {};

const LIMITS = { MAX_ALIASES: '1000', MAX_DEPTH: '100', MAX_DIRECTIVES: '1000', MAX_TOKENS: '1000000', MAX_COST: '1000000000' };

beforeAll(async () => {
  served = await createTestGateway({ EXTENSIONS_MODE: 'schemaless', ...LIMITS });
  executed = await createTestGateway({ EXTENSIONS_MODE: 'schemaless', SQL_JSON_RESPONSES: 'false', ...LIMITS }, served.databaseUrl);
  const t = served;
  await t.ok(`mutation { defineBusinessAttribute(input: { name: "ServiceType", fields: ["Service.serviceType"],
    values: [{ id: 1, name: "hotel" }, { id: 2, name: "flight" }] }) { businessAttribute { id } } }`);
  await t.ok(`mutation { createCustomer(input: { customerId: "C1", attributes: { FirstName: "Ada", Phone: ["1", "2"] },
    extensions: { vip: { level: 3 } } }) { customer { customerId } } }`);
  await t.ok(`mutation { createCustomer(input: { customerId: "C2" }) { customer { customerId } } }`);
  const start = async (input: string) =>
    (await t.ok(`mutation { startService(input: { ${input} }) { service { serviceId } } }`)).startService.service.serviceId as string;
  ids.booking = await start(`customerId: "C1", serviceType: "hotel", estDuration: 600, sessionId: "s-1", interactionId: "i-1",
    applicationType: "ivr", applicationId: 7, resourceType: 3, resourceId: 9, mediaType: "voice",
    timestamp: "2026-01-01T10:00:00Z", extensions: { coupon: { code: "X", discount: 5 }, notes: [{ n: 1 }] }`);
  ids.done = await start(`customerId: "C1", serviceType: 2, timestamp: "2026-01-01T09:00:00.123Z"`);
  ids.anonymous = await start(`contactKey: "+44", timestamp: "2026-01-01T12:00:00Z"`);
  await start(`contactKey: "+44", timestamp: "2026-01-01T12:30:00Z", serviceType: "flight"`);
  ids.associated = await start(`contactKey: "+45", timestamp: "2026-01-01T11:00:00Z"`);
  await t.ok(
    `mutation($s: ID!) { associateService(input: { serviceId: $s, customerId: "C1", interactionId: "i-2" }) { service { serviceId } } }`,
    {
      s: ids.associated,
    },
  );
  await t.ok(
    `mutation($s: ID!) { completeService(input: { serviceId: $s, disposition: "closed", dispositionDesc: "ok",
    timestamp: "2026-01-01T09:30:00Z", mediaType: 5 }) { service { serviceId } } }`,
    { s: ids.done },
  );
  const state = await t.ok(
    `mutation($s: ID!) { startState(input: { serviceId: $s, stateType: "collect", estDuration: 5, timestamp: "2026-01-01T10:01:00Z" }) { state { stateId } } }`,
    { s: ids.booking },
  );
  ids.collect = state.startState.state.stateId;
  const task = await t.ok(
    `mutation($s: ID!, $st: ID!) { startTask(input: { serviceId: $s, stateId: $st, taskType: "lookup", timestamp: "2026-01-01T10:02:00Z",
      extensions: { note: { n: "a" } } }) { task { taskId } } }`,
    { s: ids.booking, st: ids.collect },
  );
  ids.task = task.startTask.task.taskId;
  const transition = await t.ok(
    `mutation($s: ID!, $st: ID!) { transitionState(input: { serviceId: $s, from: { stateId: $st, disposition: "ok", dispositionDesc: "fine" },
      to: { stateType: "pay" }, completeOpenTasks: true, timestamp: "2026-01-01T10:05:00Z" }) { started { stateId } } }`,
    { s: ids.booking, st: ids.collect },
  );
  ids.pay = transition.transitionState.started.stateId;
  const loose = await t.ok(
    `mutation($s: ID!) { startTask(input: { serviceId: $s, taskType: 4, timestamp: "2026-01-01T10:06:00Z" }) { task { taskId } } }`,
    {
      s: ids.booking,
    },
  );
  ids.looseTask = loose.startTask.task.taskId;
});
afterAll(async () => {
  await executed.close();
  await served.close();
});

const treeKind = (field: GraphQLField<unknown, unknown>) => (field.extensions.treeField as { kind?: string } | undefined)?.kind;

/** What the JSON-text path builds: every tree field but those a resolver computes. */
const SERVED: Scope = { depth: 2, include: (field) => treeKind(field) !== 'derived' };

/** Forms of a document, and how many links or lists deep it goes (aliases multiply its size). */
const STYLES: [string, Style, number][] = [
  ['plain', {}, 2],
  ['aliases and __typename', { aliases: true, typenames: true }, 1],
  ['named fragments', { fragments: 'named' }, 2],
  ['inline fragments and __typename', { fragments: 'inline', typenames: true }, 2],
  ['@skip and @include', { directives: true }, 1],
  ['variables with defaults, lists in several forms', { variables: true, listForms: true }, 1],
  ['all of them at once', { aliases: true, fragments: 'named', directives: true, typenames: true, variables: true }, 1],
];

/** The argument values each root field is asked with, by the node type it returns: found, unknown, malformed. */
function rootValues(): [string, string, string][] {
  const byType: Record<string, string[]> = {
    Customer: ['"C1"', '"C2"', '"nobody"', '""'],
    Service: [ids.booking, ids.done, ids.associated, '999999', 'abc'].map((v) => JSON.stringify(v)),
    State: [ids.collect, ids.pay].map((v) => JSON.stringify(v)),
    Task: [ids.task, ids.looseTask].map((v) => JSON.stringify(v)),
    ServiceConnection: ['"+44"', '"none"'],
  };
  const roots: [string, string, string][] = [];
  for (const field of Object.values(schema.getQueryType()!.getFields())) {
    const arg =
      (field.extensions.treeLookup as { idArg: string } | undefined)?.idArg ??
      (field.extensions.treeRootList as { scopeArg: string } | undefined)?.scopeArg;
    if (!arg) continue;
    const values = byType[getNamedType(field.type).name];
    if (!values) throw new Error(`the drift test has no values for ${field.name}(${arg}:): add them to rootValues`);
    for (const value of values) roots.push([field.name, arg, value]);
  }
  return roots;
}

const canonical = (response: HttpResponse) => JSON.stringify(response.body);
const SERVED_STATEMENT = /^SELECT \(SELECT /;

async function bothPaths({ query, variables }: Generated) {
  let fromServed!: HttpResponse;
  const statements = await served.recordQueries(async () => {
    fromServed = await served.post({ query, variables });
  });
  const fromExecutor = await executed.post({ query, variables });
  return { fromServed, fromExecutor, statements };
}

describe('queries generated from the schema', () => {
  it('cover every root field the JSON-text path serves', () => {
    expect(rootValues().length).toBeGreaterThan(0);
  });

  it.each(STYLES)('every field, %s: the same answer from both paths, the JSON-text path in one statement', async (_name, style, depth) => {
    for (const [field, arg, value] of rootValues()) {
      const generated = rootQuery(schema, field, { [arg]: value }, style, { ...SERVED, depth });
      const { fromServed, fromExecutor, statements } = await bothPaths(generated);
      const context = `${field}(${arg}: ${value})\n${generated.query}`;
      expect(fromExecutor.body.errors, context).toBeUndefined();
      expect(canonical(fromServed), context).toBe(canonical(fromExecutor));
      expect(fromServed.status, context).toBe(fromExecutor.status);
      expect(statements, context).toHaveLength(1);
      expect(statements[0], context).toMatch(SERVED_STATEMENT);
    }
  });

  it('the same errors for a bad page size or cursor on every list, at every depth', async () => {
    for (const [field, arg, value] of rootValues().filter(
      ([, , v]) => v === '"C1"' || v === JSON.stringify(ids.booking) || v === '"+44"',
    )) {
      const type = getNamedType(schema.getQueryType()!.getFields()[field].type) as GraphQLObjectType;
      const root = `${field}(${arg}: ${value})`;
      const lists = type.name.endsWith('Connection')
        ? [['', type] as const]
        : connectionsOf(type).map((c) => [c.name, getNamedType(c.type) as GraphQLObjectType] as const);
      for (const [list, listType] of lists) {
        const child = (listType.extensions.treeList as { node: { typeName: string } }).node.typeName;
        const nested = connectionsOf(schema.getType(child) as GraphQLObjectType).map((c) => c.name);
        for (const bad of [
          'first: 501',
          'first: -1',
          'after: "nope"',
          `after: "${Buffer.from('2026-02-30T00:00:00.000Z|1').toString('base64url')}"`,
        ]) {
          const documents = list
            ? [
                `{ ${root} { ${list}(${bad}) { totalCount } } }`,
                ...nested.map((n) => `{ ${root} { ${list}(first: 1) { nodes { ${n}(${bad}) { totalCount nodes { id } } } } } }`),
              ]
            : [
                `{ ${field}(${arg}: ${value}, ${bad}) { totalCount } }`,
                ...nested.map((n) => `{ ${root} { nodes { ${n}(${bad}) { totalCount } } } }`),
              ];
          for (const query of documents) {
            const { fromServed, fromExecutor } = await bothPaths({ query, variables: {} });
            expect(fromExecutor.body.errors?.[0]?.extensions.code, query).toBe('BAD_USER_INPUT');
            expect(canonical(fromServed), query).toBe(canonical(fromExecutor));
          }
        }
      }
    }
  });

  it('every cursor one path returns pages on in the other', async () => {
    for (const [field, arg, value] of rootValues().filter(
      ([, , v]) => v === '"C1"' || v === JSON.stringify(ids.booking) || v === '"+44"',
    )) {
      const type = getNamedType(schema.getQueryType()!.getFields()[field].type) as GraphQLObjectType;
      const lists = type.name.endsWith('Connection') ? [''] : connectionsOf(type).map((c) => c.name);
      for (const list of lists) {
        const page = () =>
          list
            ? `query($after: String) { ${field}(${arg}: ${value}) { ${list}(first: 1, after: $after) { pageInfo { hasNextPage endCursor } edges { cursor node { id } } } } }`
            : `query($after: String) { ${field}(${arg}: ${value}, first: 1, after: $after) { pageInfo { hasNextPage endCursor } edges { cursor node { id } } } }`;
        let after: string | null = null;
        for (let n = 0; n < 20; n++) {
          const { fromServed, fromExecutor } = await bothPaths({ query: page(), variables: { after } });
          expect(canonical(fromServed)).toBe(canonical(fromExecutor));
          const connection = list ? fromServed.body.data[field][list] : fromServed.body.data[field];
          if (!connection.pageInfo.hasNextPage) break;
          // Alternate: the next page is asked with the cursor the other path gave.
          after =
            n % 2
              ? connection.pageInfo.endCursor
              : (list ? fromExecutor.body.data[field][list] : fromExecutor.body.data[field]).edges[0].cursor;
        }
      }
    }
  });
});

const EVENT = {
  sessionId: 's-9',
  interactionId: 'i-9',
  applicationType: 'ivr',
  applicationId: 3,
  resourceType: 7,
  resourceId: 8,
  mediaType: 'chat',
};

async function newService(t: TestGateway, input: string): Promise<string> {
  return (await t.ok(`mutation { startService(input: { ${input}, timestamp: "2026-02-01T08:00:00Z" }) { service { serviceId } } }`))
    .startService.service.serviceId;
}
async function newState(t: TestGateway, serviceId: string): Promise<string> {
  const data = await t.ok(
    `mutation($s: ID!) { startState(input: { serviceId: $s, stateType: "collect", timestamp: "2026-02-01T08:01:00Z" }) { state { stateId } } }`,
    {
      s: serviceId,
    },
  );
  return data.startState.state.stateId;
}

/** The input of each write the JSON-text path runs, made ready on `t`'s own rows. */
const INPUTS: Record<string, (t: TestGateway) => Promise<Record<string, unknown>>> = {
  startService: async () => ({
    customerId: 'W1',
    contactKey: '+1',
    serviceType: 'hotel',
    estDuration: 60,
    ...EVENT,
    timestamp: '2026-02-01T08:00:00Z',
    extensions: { x: { a: 1 } },
  }),
  associateService: async (t) => ({
    serviceId: await newService(t, 'contactKey: "+2"'),
    customerId: 'W2',
    serviceType: 2,
    ...EVENT,
    timestamp: '2026-02-01T07:00:00Z',
  }),
  completeService: async (t) => ({
    serviceId: await newService(t, 'customerId: "W3"'),
    disposition: 'closed',
    dispositionDesc: 'done',
    ...EVENT,
    timestamp: '2026-02-01T09:00:00Z',
  }),
  startState: async (t) => ({
    serviceId: await newService(t, 'customerId: "W4"'),
    stateType: 'collect',
    estDuration: 9,
    ...EVENT,
    timestamp: '2026-02-01T08:30:00Z',
    extensions: { y: { b: 2 } },
  }),
  completeState: async (t) => {
    const serviceId = await newService(t, 'customerId: "W5"');
    return { stateId: await newState(t, serviceId), disposition: 3, dispositionDesc: 'd', ...EVENT, timestamp: '2026-02-01T09:00:00Z' };
  },
  transitionState: async (t) => {
    const serviceId = await newService(t, 'customerId: "W6"');
    return {
      serviceId,
      from: { stateId: await newState(t, serviceId), disposition: 'ok' },
      to: { stateType: 'pay', estDuration: 4 },
      ...EVENT,
      timestamp: '2026-02-01T09:00:00Z',
    };
  },
  startTask: async (t) => {
    const serviceId = await newService(t, 'customerId: "W7"');
    return { serviceId, stateId: await newState(t, serviceId), taskType: 'lookup', ...EVENT, timestamp: '2026-02-01T08:45:00Z' };
  },
  completeTask: async (t) => {
    const serviceId = await newService(t, 'customerId: "W8"');
    const task = await t.ok(
      `mutation($s: ID!) { startTask(input: { serviceId: $s, timestamp: "2026-02-01T08:02:00Z" }) { task { taskId } } }`,
      { s: serviceId },
    );
    return { taskId: task.startTask.task.taskId, disposition: 'x', ...EVENT, timestamp: '2026-02-01T09:00:00Z' };
  },
};

/** The answer with the ids a write generates made alike: bigint ids, and Relay ids (base64 of `Type:id`). */
const normalized = (response: HttpResponse) =>
  JSON.stringify(response.body, (_key, value: unknown) => {
    if (typeof value !== 'string') return value;
    if (/^\d+$/.test(value)) return 'N';
    return /^(Service|State|Task):\d+$/.test(Buffer.from(value, 'base64').toString()) ? 'G' : value;
  });

const SERVED_RETURNING = /\)::text AS j/;

describe('writes generated from the schema', () => {
  const writes = Object.values(schema.getMutationType()!.getFields()).filter((field) => field.extensions.treeWrite);

  it('cover every write the JSON-text path runs', () => {
    expect(writes.map((field) => field.name).filter((name) => !INPUTS[name])).toEqual([]);
  });

  // Pages and links make the JSON-text path leave a write to the executor: depth 0 is what it runs.
  const FLAT: Scope = { depth: 0, include: SERVED.include };
  it.each(STYLES.filter(([, style]) => !style.variables))(
    'every payload field, %s: the same answer from both paths',
    async (_name, style) => {
      for (const field of writes) {
        const generated = mutationDocument(schema, field.name, style, FLAT);
        const answers: { response: HttpResponse; statements: string[] }[] = [];
        for (const t of [served, executed]) {
          const input = await INPUTS[field.name](t);
          let response!: HttpResponse;
          const statements = await t.recordQueries(async () => {
            response = await t.post({ query: generated.query, variables: { input } });
          });
          answers.push({ response, statements });
        }
        const [fromServed, fromExecutor] = answers;
        const context = `${field.name}\n${generated.query}`;
        expect(fromExecutor.response.body.errors, context).toBeUndefined();
        expect(normalized(fromServed.response), context).toBe(normalized(fromExecutor.response));
        expect(
          fromServed.statements.some((s) => SERVED_RETURNING.test(s)),
          context,
        ).toBe(true);
      }
    },
  );

  it('every payload field read back by the executor as the write returned it', async () => {
    for (const field of writes) {
      const generated = mutationDocument(schema, field.name, {}, FLAT);
      const data = (await served.ok(generated.query, { input: await INPUTS[field.name](served) }))[field.name];
      for (const [key, row] of Object.entries(data as Record<string, Record<string, unknown>>)) {
        const type = getNamedType((getNamedType(field.type) as GraphQLObjectType).getFields()[key].type) as GraphQLObjectType;
        const lookup = Object.values(schema.getQueryType()!.getFields()).find(
          (f) => f.extensions.treeLookup && getNamedType(f.type) === type,
        )!;
        const idArg = (lookup.extensions.treeLookup as { idArg: string }).idArg;
        const read = rootQuery(schema, lookup.name, { [idArg]: JSON.stringify(row[idArg]) }, {}, FLAT);
        const readBack = await executed.ok(read.query, read.variables);
        expect(readBack[lookup.name], `${field.name}.${key}`).toEqual(row);
      }
    }
  });
});
