// Writes run without the executor (src/tree/mutation-as-json.ts) must answer exactly as the
// executor does, errors included. Two gateways over one database, one with the path and one
// without, run each write on their own rows; the answers must match but for the new ids.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type HttpResponse, type TestGateway } from '../support/gateway.js';

let served: TestGateway;
let executed: TestGateway;

beforeAll(async () => {
  served = await createTestGateway({ EXTENSIONS_MODE: 'schemaless' });
  executed = await createTestGateway({ EXTENSIONS_MODE: 'schemaless', SQL_JSON_RESPONSES: 'false' }, served.databaseUrl);
});
afterAll(async () => {
  await executed.close();
  await served.close();
});

/** A service with one active state and a task in it, started through `t`. */
async function serviceWithState(t: TestGateway): Promise<{ serviceId: string; stateId: string }> {
  const service = await t.ok(
    `mutation { startService(input: { customerId: "C1", timestamp: "2026-01-01T10:00:00Z" }) { service { serviceId } } }`,
  );
  const { serviceId } = service.startService.service;
  const state = await t.ok(
    `mutation($s: ID!) { startState(input: { serviceId: $s, stateType: "collect", timestamp: "2026-01-01T10:01:00Z" }) { state { stateId } } }`,
    { s: serviceId },
  );
  const { stateId } = state.startState.state;
  await t.ok(
    `mutation($s: ID!, $st: ID!) { startTask(input: { serviceId: $s, stateId: $st, timestamp: "2026-01-01T10:02:00Z" }) { task { taskId } } }`,
    {
      s: serviceId,
      st: stateId,
    },
  );
  return { serviceId, stateId };
}

/** The body with the ids a write generates made alike (Relay ids are base64 of them). */
const normalized = (response: HttpResponse) =>
  JSON.stringify(response.body)
    .replace(/"(serviceId|stateId|previousStateId|taskId)":"\d+"/g, '"$1":"N"')
    .replace(/"id":"[A-Za-z0-9+/=]+"/g, '"id":"global"')
    .replace(/(service|state) \d+/gi, '$1 N');

const START = `mutation($input: StartServiceInput!) { startService(input: $input) {
  __typename created: service { __typename id serviceId customerId contactKey anonymous status estDuration extensions
    kind: serviceType { name id } started { at: timestamp interactionId applicationType { name } } completed { timestamp } } } }`;
const TRANSITION = `mutation($input: TransitionStateInput!) { transitionState(input: $input) {
  completed { stateId serviceId status disposition { id name } dispositionDesc completed { timestamp } extensions duration }
  started { stateId serviceId previousStateId status stateType { id name } started { interactionId timestamp } } } }`;

const ASSOCIATE = `mutation($s: ID!) { associateService(input: { serviceId: $s, customerId: "C9", serviceType: "hotel", estDuration: 30,
  interactionId: "i-9", extensions: { seg: { tier: 2 } } }) {
  service { serviceId customerId anonymous status estDuration serviceType { name } started { timestamp interactionId } extensions } } }`;

type Run = (t: TestGateway, ids: { serviceId: string; stateId: string }) => Promise<HttpResponse>;

async function both(run: Run, setUp = true) {
  const results = [];
  for (const t of [served, executed]) {
    const ids = setUp ? await serviceWithState(t) : { serviceId: '0', stateId: '0' };
    let response!: HttpResponse;
    const statements = await t.recordQueries(async () => {
      response = await run(t, ids);
    });
    results.push({ response, statements, key: normalized(response) });
  }
  return { servedResult: results[0], executedResult: results[1] };
}

const SERVED_RETURNING = /\)::text AS j/;

const WRITES: [string, Run][] = [
  [
    'startService with extensions, aliases and __typename',
    (t) =>
      t.post({
        query: START,
        variables: {
          input: {
            customerId: 'C2',
            serviceType: 'hotel',
            estDuration: 60,
            interactionId: 'i-1',
            applicationType: 'ivr',
            timestamp: '2026-01-01T11:00:00Z',
            extensions: { coupon: { code: 'X', discount: 5 } },
          },
        },
      }),
  ],
  [
    'a startService given as literals',
    (t) =>
      t.post({
        query: `mutation { startService(input: { customerId: "C5", serviceType: "hotel", timestamp: "2026-01-01T11:00:00+01:00", extensions: { a: { b: [1, 2] } } }) {
          service { serviceId started { timestamp } serviceType { name } extensions } } }`,
      }),
  ],
  [
    'an anonymous startService',
    (t) => t.post({ query: START, variables: { input: { contactKey: '+44', timestamp: '2026-01-01T11:00:00Z' } } }),
  ],
  [
    'transitionState, in one statement',
    (t, { serviceId, stateId }) =>
      t.post({
        query: TRANSITION,
        variables: {
          input: {
            serviceId,
            from: { stateId, disposition: 'ok', dispositionDesc: 'fine', extensions: { a: { b: 1 } } },
            to: { stateType: 'pay' },
            interactionId: 'i-2',
            timestamp: '2026-01-01T10:05:00Z',
          },
        },
      }),
  ],
  [
    'transitionState completing the open tasks, in a transaction',
    (t, { serviceId, stateId }) =>
      t.post({
        query: TRANSITION,
        variables: {
          input: { serviceId, from: { stateId }, to: { stateType: 'pay' }, completeOpenTasks: true, timestamp: '2026-01-01T10:05:00Z' },
        },
      }),
  ],
  [
    'startState',
    (t, { serviceId, stateId }) =>
      t.post({
        query: `mutation($s: ID!, $p: ID!) { startState(input: { serviceId: $s, previousStateId: $p, stateType: "pay", timestamp: "2026-01-01T10:03:00Z" }) {
          state { stateId serviceId previousStateId status stateType { name } started { timestamp } extensions } } }`,
        variables: { s: serviceId, p: stateId },
      }),
  ],
  [
    'startTask',
    (t, { serviceId, stateId }) =>
      t.post({
        query: `mutation($s: ID!, $st: ID!) { startTask(input: { serviceId: $s, stateId: $st, taskType: "lookup", timestamp: "2026-01-01T10:03:00Z", extensions: { n: { v: 1 } } }) {
          task { id taskId serviceId stateId status taskType { name } started { timestamp } extensions } } }`,
        variables: { s: serviceId, st: stateId },
      }),
  ],
  ['associateService, in a transaction', (t, { serviceId }) => t.post({ query: ASSOCIATE, variables: { s: serviceId } })],
  [
    'completeState',
    (t, { stateId }) =>
      t.post({
        query: `mutation($st: ID!) { completeState(input: { stateId: $st, disposition: "done", dispositionDesc: "ok", timestamp: "2026-01-01T10:04:00Z" }) {
          __typename state { __typename stateId status disposition { name } dispositionDesc completed { timestamp } duration } } }`,
        variables: { st: stateId },
      }),
  ],
];

const ERRORS: [string, Run][] = [
  ['a service for nobody', (t) => t.post({ query: START, variables: { input: { timestamp: '2026-01-01T11:00:00Z' } } })],
  [
    'a transition from a state already completed',
    async (t, { serviceId, stateId }) => {
      const input = { serviceId, from: { stateId }, to: { stateType: 'pay' }, timestamp: '2026-01-01T10:05:00Z' };
      await t.ok(TRANSITION, { input });
      return t.post({ query: TRANSITION, variables: { input } });
    },
  ],
  ['an association with a service that does not exist', (t) => t.post({ query: ASSOCIATE, variables: { s: '987654321' } })],
  [
    'a transition before the state started',
    (t, { serviceId, stateId }) =>
      t.post({ query: TRANSITION, variables: { input: { serviceId, from: { stateId }, to: {}, timestamp: '2025-01-01T00:00:00Z' } } }),
  ],
];

describe('writes answered with the JSON PostgreSQL builds', () => {
  it.each(WRITES)('answer %s exactly as the executor', async (_name, run) => {
    const { servedResult, executedResult } = await both(run);
    expect(executedResult.response.body.errors).toBeUndefined();
    expect(servedResult.key).toBe(executedResult.key);
    expect(servedResult.statements.some((s) => SERVED_RETURNING.test(s))).toBe(true);
    expect(executedResult.statements.some((s) => SERVED_RETURNING.test(s))).toBe(false);
    const transition = servedResult.response.body.data.transitionState;
    if (transition) expect(transition.started.previousStateId).toBe(transition.completed.stateId);
  });

  it.each(ERRORS)('report %s exactly as the executor', async (_name, run) => {
    const { servedResult, executedResult } = await both(run);
    expect(executedResult.response.body.errors).toHaveLength(1);
    expect(servedResult.key).toBe(executedResult.key);
    expect(servedResult.response.status).toBe(executedResult.response.status);
  });

  it('leave to the executor a payload with pages, two writes at once, and other writes', async () => {
    const documents = [
      `mutation { startService(input: { customerId: "C3" }) { service { serviceId states { totalCount } } } }`,
      `mutation { a: startService(input: { customerId: "C3" }) { service { serviceId } } b: startService(input: { customerId: "C3" }) { service { serviceId } } }`,
      `mutation { startService(input: { customerId: "C3" }) { a: service { serviceId } b: service { status } } }`,
      `mutation { createCustomer(input: { customerId: "C4" }) { customer { customerId } } }`,
    ];
    for (const query of documents) {
      const statements = await served.recordQueries(async () => {
        expect((await served.post({ query })).body.errors).toBeUndefined();
      });
      expect(statements.filter((s) => SERVED_RETURNING.test(s))).toEqual([]);
    }
  });

  it('store what the write answered', async () => {
    const { servedResult } = await both(WRITES[0][1], false);
    const service = servedResult.response.body.data.startService.created;
    const [row] = await served.sql('SELECT customer_id, service_type_name, extensions FROM service WHERE service_id = $1', [
      service.serviceId,
    ]);
    expect(row).toEqual({ customer_id: 'C2', service_type_name: 'hotel', extensions: { coupon: { code: 'X', discount: 5 } } });
    expect(service.kind).toEqual({ name: 'hotel', id: null });
  });
});
