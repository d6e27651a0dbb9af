// Queries answered with the JSON PostgreSQL builds (src/tree/query-as-json.ts) must answer
// exactly as the executor does: the same keys in the same order, the same values, the same
// errors. Two gateways over one database, one with the path and one without, answer each
// document; and the statements recorded show which path answered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type HttpResponse, type TestGateway } from '../support/gateway.js';

let served: TestGateway;
let executed: TestGateway;
const ids: Record<string, string> = {};

beforeAll(async () => {
  served = await createTestGateway({ EXTENSIONS_MODE: 'schemaless', MAX_ALIASES: '1000' });
  executed = await createTestGateway(
    { EXTENSIONS_MODE: 'schemaless', MAX_ALIASES: '1000', SQL_JSON_RESPONSES: 'false' },
    served.databaseUrl,
  );
  const t = served;
  await t.ok(
    `mutation { createCustomer(input: { customerId: "C1", attributes: { name: "Ada" }, extensions: { vip: { level: 3 } } }) { customer { customerId } } }`,
  );
  await t.ok(`mutation($c: String!) { createCustomer(input: { customerId: $c }) { customer { customerId } } }`, {
    c: `Zoë-日本-${'x'.repeat(80)}`,
  });
  const start = async (input: string) =>
    (await t.ok(`mutation { startService(input: { ${input} }) { service { serviceId } } }`)).startService.service.serviceId as string;
  ids.booking = await start(
    `customerId: "C1", serviceType: "hotel", estDuration: 600, sessionId: "s-1", interactionId: "i-1", applicationType: "ivr", applicationId: 7, timestamp: "2026-01-01T10:00:00Z", extensions: { coupon: { code: "X", discount: 5 } }`,
  );
  ids.refund = await start(`customerId: "C1", timestamp: "2026-01-01T11:00:00.123Z"`);
  ids.done = await start(`customerId: "C1", serviceType: "hotel", timestamp: "2026-01-01T09:00:00Z"`);
  ids.anonymous = await start(`contactKey: "+4420", timestamp: "2026-01-01T12:00:00Z"`);
  await start(`contactKey: "+4420", timestamp: "2026-01-01T12:30:00Z"`);
  await start(`contactKey: "+4421", timestamp: "2026-01-01T12:40:00Z"`);
  const first = await t.ok(
    `mutation($s: ID!) { startState(input: { serviceId: $s, stateType: "collect", timestamp: "2026-01-01T10:01:00Z" }) { state { stateId } } }`,
    { s: ids.booking },
  );
  ids.collect = first.startState.state.stateId;
  for (const minute of ['02', '03']) {
    await t.ok(
      `mutation($s: ID!, $st: ID!) { startTask(input: { serviceId: $s, stateId: $st, taskType: "lookup", timestamp: "2026-01-01T10:${minute}:00Z", extensions: { note: { n: "${minute}" } } }) { task { taskId } } }`,
      { s: ids.booking, st: ids.collect },
    );
  }
  const transition = await t.ok(
    `mutation($s: ID!, $st: ID!) { transitionState(input: { serviceId: $s, from: { stateId: $st, disposition: "ok", dispositionDesc: "fine" }, to: { stateType: "pay" }, timestamp: "2026-01-01T10:05:00Z" }) { started { stateId } } }`,
    { s: ids.booking, st: ids.collect },
  );
  ids.pay = transition.transitionState.started.stateId;
  await t.ok(
    `mutation($s: ID!) { completeService(input: { serviceId: $s, disposition: "closed", timestamp: "2026-01-01T09:30:00Z" }) { service { serviceId } } }`,
    { s: ids.done },
  );
  ids.firstCursor = (
    await executed.ok(`{ customer(customerId: "C1") { services(first: 1) { edges { cursor } } } }`)
  ).customer.services.edges[0].cursor;
  ids.task = (await t.sql<{ id: string }>('SELECT task_id::text AS id FROM task ORDER BY task_id LIMIT 1'))[0].id;
});
afterAll(async () => {
  await executed.close();
  await served.close();
});

const SERVICE_FIELDS = `serviceId customerId contactKey anonymous estDuration duration status dispositionDesc extensions
  serviceType { id name } disposition { name id }
  started { timestamp sessionId interactionId applicationId applicationType { id name } }
  completed { timestamp }`;

const AGENT_DESKTOP = `query($c: String!) { customer(customerId: $c) { customerId extensions services(status: ACTIVE) { nodes {
      serviceId serviceType { id name } status started { timestamp } extensions estDuration
      states(status: ACTIVE) { nodes { stateId stateType { id name } status started { timestamp } extensions
        tasks(status: ACTIVE) { nodes { taskId taskType { id name } status started { timestamp } extensions } } } } } } } }`;

// Fragments keep their fields in place in the response, as the spec has them.
const DIRECTIVES = `query($c: String!, $tasks: Boolean!, $skip: Boolean!, $hotel: AttributeRef!) { __typename me: customer(customerId: $c) { __typename ...C } nobody: customer(customerId: "nobody") { customerId } }
     fragment C on Customer { id: customerId
       open: services(status: ACTIVE, first: 1, serviceTypes: [$hotel]) { __typename count: totalCount list: nodes { __typename ... on Service { serviceId } kind: serviceType { __typename label: name id }
         started { __typename at: timestamp applicationType { __typename name } } disposition { __typename }
         states { edges { __typename node { stateId stateType { name } service { serviceId customer { customerId } }
           tasks @include(if: $tasks) { nodes { taskId state { stateId stateType { name } } service { serviceId } } } } } } } }
       all: services { nodes { serviceId status @skip(if: $skip) completed { timestamp } } } }`;

const PAGES = `query($c: String!, $after: String, $first: Int) { customer(customerId: $c) { id customerId
       page: services(first: $first, after: $after) { pageInfo { __typename hasNextPage hasPreviousPage startCursor endCursor }
         edges { cursor node { id serviceId states(first: 1) { pageInfo { hasNextPage endCursor } edges { cursor node { id } } } } } }
       empty: services(first: 0) { pageInfo { hasNextPage startCursor endCursor } nodes { id } }
       rest: services(after: $after) { pageInfo { hasNextPage hasPreviousPage } totalCount } } }`;

const ANONYMOUS = `query($k: String!, $first: Int, $c: String!) {
  anonymousServices(contactKey: $k, first: $first) { totalCount pageInfo { hasNextPage endCursor } nodes { id serviceId contactKey anonymous status customer { customerId } } }
  none: anonymousServices(contactKey: "unknown") { totalCount nodes { serviceId } }
  customer(customerId: $c) { customerId } }`;

// More keys in one object than one json_build_object call takes, named so that sorting them (as
// jsonb would) changes their order.
const aliases = (count: number, fields: string[]) =>
  Array.from({ length: count }, (_, i) => `k${count - i}: ${fields[i % fields.length]}`).join(' ');
const WIDE = `query($s: ID!) { service(serviceId: $s) { ${aliases(60, ['serviceId', 'status', 'estDuration', 'anonymous'])}
  started { ${aliases(60, ['timestamp', 'sessionId', 'applicationId'])} }
  states { ${aliases(55, ['totalCount'])} nodes { ${aliases(52, ['stateId', 'status'])} } } } }`;

/** Documents the path compiles, with their variables. */
const COMPILED: [string, string, () => Record<string, unknown>][] = [
  ['the agent-desktop read', AGENT_DESKTOP, () => ({ c: 'C1' })],
  // The same document again: its statement is reused, with the other customer's id.
  ['the agent-desktop read of an unknown customer', AGENT_DESKTOP, () => ({ c: 'nobody' })],
  [
    'every column of every node type, with counts',
    `query($c: String!) { customer(customerId: $c) { customerId attributes extensions services { totalCount nodes { ${SERVICE_FIELDS}
      states { totalCount nodes { stateId serviceId previousStateId status stateType { name } disposition { id name } dispositionDesc duration
        completed { timestamp interactionId } tasks { nodes { taskId stateId serviceId taskType { name } extensions } } } }
      tasks { totalCount } } } } }`,
    () => ({ c: 'C1' }),
  ],
  [
    'aliases, __typename, fragments and directives at every level',
    DIRECTIVES,
    () => ({ c: 'C1', tasks: true, skip: false, hotel: 'hotel' }),
  ],
  ['the same with other directive values', DIRECTIVES, () => ({ c: 'C1', tasks: false, skip: true, hotel: 'hotel' })],
  [
    'several lookups at once, found and not',
    `query($s: ID!, $st: ID!, $t: ID!) { service(serviceId: $s) { ${SERVICE_FIELDS} } state(stateId: $st) { stateId } task(taskId: $t) { taskId stateId state { stateId } }
       missing: service(serviceId: "999999") { serviceId } malformed: service(serviceId: "abc") { serviceId } empty: customer(customerId: "") { customerId } }`,
    () => ({ s: ids.booking, st: ids.pay, t: ids.task }),
  ],
  [
    'filters and pages',
    `query($c: String!, $from: DateTime, $first: Int) { customer(customerId: $c) {
       hotel: services(serviceTypes: ["hotel"]) { totalCount nodes { serviceId } }
       late: services(startedFrom: $from) { totalCount nodes { serviceId } }
       page: services(first: $first) { totalCount nodes { serviceId } }
       none: services(first: 0) { totalCount nodes { serviceId } }
       done: services(status: COMPLETED) { nodes { serviceId disposition { name } } } } }`,
    () => ({ c: 'C1', from: '2026-01-01T10:30:00+01:00', first: 2 }),
  ],
  ['Relay ids, cursors and page info', PAGES, () => ({ c: 'C1', first: 1, after: null })],
  [
    'a Relay id longer than a base64 line, of a customer id in any script',
    `query($c: String!) { customer(customerId: $c) { id customerId } }`,
    () => ({ c: `Zoë-日本-${'x'.repeat(80)}` }),
  ],
  ['the anonymous services of a contact key, with the lookups beside them', ANONYMOUS, () => ({ k: '+4420', first: 1, c: 'C1' })],
  // The same statement again, its contact key a parameter in the page and in the count.
  ['the anonymous services of another contact key', ANONYMOUS, () => ({ k: '+4421', first: 1, c: 'C1' })],
  ['more keys in one object than one SQL call builds, in the order selected', WIDE, () => ({ s: ids.booking })],
  ['the next page', PAGES, () => ({ c: 'C1', first: 1, after: ids.firstCursor })],
  ['the last page', PAGES, () => ({ c: 'C1', first: 5, after: ids.firstCursor })],
];

/** Documents it leaves to the executor: fields computed by resolvers, other root fields, errors. */
const EXECUTED: [string, string, () => Record<string, unknown>][] = [
  ['one extension by name', `query($s: ID!) { service(serviceId: $s) { extension(name: "COUPON") } }`, () => ({ s: ids.booking })],
  ['another root field', `query { extensionSchemas { name } }`, () => ({})],
  [
    'a page too large',
    `query($c: String!) { customer(customerId: $c) { services(first: 9999) { nodes { serviceId } } } }`,
    () => ({ c: 'C1' }),
  ],
  [
    'a bad cursor',
    `query($c: String!) { customer(customerId: $c) { services(after: "nope") { nodes { serviceId } } } }`,
    () => ({ c: 'C1' }),
  ],
  ['a variable of the wrong type', `query($c: String!) { customer(customerId: $c) { customerId } }`, () => ({ c: 42 })],
];

const SERVED_STATEMENT = /^SELECT \(SELECT /;

async function answers(document: string, variables: Record<string, unknown>) {
  let servedResponse!: HttpResponse;
  const statements = await served.recordQueries(async () => {
    servedResponse = await served.post({ query: document, variables });
  });
  const executedResponse = await executed.post({ query: document, variables });
  return { servedResponse, executedResponse, statements };
}

describe('queries answered with the JSON PostgreSQL builds', () => {
  it.each(COMPILED)('answer %s exactly as the executor, in one statement', async (_name, document, variables) => {
    const { servedResponse, executedResponse, statements } = await answers(document, variables());
    expect(executedResponse.body.errors).toBeUndefined();
    expect(JSON.stringify(servedResponse.body)).toBe(JSON.stringify(executedResponse.body));
    expect(servedResponse.status).toBe(executedResponse.status);
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(SERVED_STATEMENT);
  });

  it.each(EXECUTED)('leave %s to the executor', async (_name, document, variables) => {
    const { servedResponse, executedResponse, statements } = await answers(document, variables());
    expect(JSON.stringify(servedResponse.body)).toBe(JSON.stringify(executedResponse.body));
    expect(servedResponse.status).toBe(executedResponse.status);
    expect(statements.filter((s) => SERVED_STATEMENT.test(s))).toEqual([]);
  });

  it('answer the operation named in a document of several, and each operation of a batch', async () => {
    const document = `query A($c: String!) { customer(customerId: $c) { customerId } } query B($s: ID!) { service(serviceId: $s) { serviceId status } }`;
    const bodies = [
      { query: document, operationName: 'B', variables: { s: ids.booking } },
      [
        { query: document, operationName: 'A', variables: { c: 'C1' } },
        { query: AGENT_DESKTOP, variables: { c: 'C1' } },
      ],
    ];
    for (const body of bodies) {
      let servedResponse!: HttpResponse;
      const statements = await served.recordQueries(async () => {
        servedResponse = await served.post(body);
      });
      const executedResponse = await executed.post(body);
      expect(JSON.stringify(servedResponse.body)).toBe(JSON.stringify(executedResponse.body));
      expect(statements.length).toBeGreaterThan(0);
      expect(statements.every((s) => SERVED_STATEMENT.test(s))).toBe(true);
    }
  });

  it('answer a seeded tree with the values written, not just like the executor', async () => {
    const data = await served.ok(
      `query($s: ID!) { service(serviceId: $s) { serviceType { name } started { timestamp sessionId applicationType { name } }
        states { nodes { stateType { name } status disposition { name } dispositionDesc tasks { totalCount } } } } }`,
      { s: ids.booking },
    );
    expect(data.service).toEqual({
      serviceType: { name: 'hotel' },
      started: { timestamp: '2026-01-01T10:00:00.000Z', sessionId: 's-1', applicationType: { name: 'ivr' } },
      states: {
        nodes: [
          {
            stateType: { name: 'collect' },
            status: 'COMPLETED',
            disposition: { name: 'ok' },
            dispositionDesc: 'fine',
            tasks: { totalCount: 2 },
          },
          { stateType: { name: 'pay' }, status: 'ACTIVE', disposition: null, dispositionDesc: null, tasks: { totalCount: 0 } },
        ],
      },
    });
  });
});
