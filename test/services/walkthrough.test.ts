// The seed walk-through of issue 3, in strict mode with registered extension schemas: an IVR
// starts an anonymous service, an agent associates it (twice), the service goes through states
// and tasks, and the agent desktop reads the whole tree at each step.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../support/gateway.js';
import {
  ASSOCIATE_SERVICE,
  COMPLETE_SERVICE,
  COMPLETE_STATE,
  COMPLETE_TASK,
  START_SERVICE,
  START_STATE,
  START_TASK,
  TRANSITION_STATE,
} from '../support/operations.js';

let t: TestGateway;

const SCHEMAS = [
  {
    owner: 'SERVICE',
    name: 'coupon',
    multiValued: false,
    attributes: [
      { name: 'coupon_name', type: 'STRING', length: 20, mandatory: true },
      { name: 'discount', type: 'DOUBLE', default: 0 },
    ],
  },
  {
    owner: 'SERVICE',
    name: 'satisfaction',
    multiValued: false,
    attributes: [
      { name: 'score', type: 'INTEGER', mandatory: true },
      { name: 'agentID', type: 'LONG' },
    ],
  },
  {
    owner: 'SERVICE',
    name: 'relatedOffers',
    multiValued: true,
    unique: ['offerId'],
    attributes: [
      { name: 'offerId', type: 'STRING', length: 12 },
      { name: 'price', type: 'CURRENCY' },
      { name: 'validUntil', type: 'DATE' },
    ],
  },
  {
    owner: 'STATE',
    name: 'Feedback',
    multiValued: false,
    attributes: [
      { name: 'rating', type: 'INTEGER', mandatory: true },
      { name: 'comment', type: 'STRING', length: 200 },
    ],
  },
  {
    owner: 'STATE',
    name: 'Sponsoring',
    multiValued: false,
    attributes: [
      { name: 'sponsor', type: 'STRING', mandatory: true },
      { name: 'since', type: 'DATETIME' },
    ],
  },
];

const DESKTOP = /* GraphQL */ `
  query Desktop($c: String!, $status: Status) {
    customer(customerId: $c) {
      customerId
      services(status: $status) {
        totalCount
        nodes {
          serviceId status contactKey anonymous extensions coupon: extension(name: "COUPON")
          states { nodes { stateId status previousStateId stateType { name } extensions tasks { nodes { taskId status } } } }
          tasks(status: ACTIVE) { totalCount }
        }
      }
    }
  }
`;

beforeAll(async () => {
  t = await createTestGateway();
  for (const input of SCHEMAS) {
    await t.ok(`mutation($input: CreateExtensionSchemaInput!) { createExtensionSchema(input: $input) { extensionSchema { name } } }`, {
      input,
    });
  }
});
afterAll(() => t.close());

describe('seed walk-through', () => {
  it('follows a hotel booking from an anonymous IVR call to completion', async () => {
    // 1. The IVR starts an anonymous service with the caller's number and three extensions.
    const started = (
      await t.ok(START_SERVICE, {
        input: {
          contactKey: '+1 555 0100',
          serviceType: 'hotel',
          extensions: {
            coupon: { coupon_name: 'WINTER' },
            satisfaction: { score: 7, agentID: 2025 },
            relatedOffers: [
              { offerId: 'O-1', price: 99.5 },
              { offerId: 'O-2', validUntil: '2026-12-31' },
            ],
          },
        },
      })
    ).startService.service;
    expect(started).toMatchObject({ anonymous: true, customerId: null });
    expect(started.extensions.coupon).toEqual({ coupon_name: 'WINTER', discount: 0 });
    const serviceId = started.serviceId;

    // 2. The anonymous query finds it by contact key.
    const anonymous = await t.ok(`{ anonymousServices(contactKey: "+1 555 0100") { nodes { serviceId extensions } } }`);
    expect(anonymous.anonymousServices.nodes).toEqual([{ serviceId, extensions: started.extensions }]);

    // 3. Associated with C1: it leaves the anonymous list.
    await t.ok(ASSOCIATE_SERVICE, { input: { serviceId, customerId: 'C1' } });
    expect((await t.ok(`{ anonymousServices(contactKey: "+1 555 0100") { totalCount } }`)).anonymousServices.totalCount).toBe(0);
    expect((await t.ok(DESKTOP, { c: 'C1' })).customer.services.totalCount).toBe(1);

    // 4. Associated with C2, replacing the multi-valued extension.
    const moved = (
      await t.ok(ASSOCIATE_SERVICE, {
        input: { serviceId, customerId: 'C2', extensions: { relatedOffers: [{ offerId: 'O-3', price: 120 }] } },
      })
    ).associateService.service;
    expect(moved.extensions.relatedOffers).toEqual([{ offerId: 'O-3', price: 120 }]);
    expect(moved.extensions.coupon).toEqual({ coupon_name: 'WINTER', discount: 0 });

    // 5. C1 no longer lists it; C2 does.
    expect((await t.ok(DESKTOP, { c: 'C1' })).customer.services).toEqual({ totalCount: 0, nodes: [] });
    expect((await t.ok(DESKTOP, { c: 'C2' })).customer.services.nodes.map((s: { serviceId: string }) => s.serviceId)).toEqual([serviceId]);

    // 6. A state and a task, then a transition carrying Feedback and Sponsoring.
    const search = (await t.ok(START_STATE, { input: { serviceId, stateType: 'search' } })).startState.state;
    const ask = (await t.ok(START_TASK, { input: { serviceId, stateId: search.stateId, taskType: 'ask-dates' } })).startTask.task;
    const { completed, started: propose } = (
      await t.ok(TRANSITION_STATE, {
        input: {
          serviceId,
          mediaType: 'voice',
          from: { stateId: search.stateId, extensions: { Feedback: { rating: 5, comment: 'quick' } } },
          to: { stateType: 'propose', extensions: { Sponsoring: { sponsor: 'ACME', since: '2026-01-01T08:00:00+01:00' } } },
        },
      })
    ).transitionState;
    expect(completed.extensions).toEqual({ Feedback: { rating: 5, comment: 'quick' } });
    expect(propose.extensions).toEqual({ Sponsoring: { sponsor: 'ACME', since: '2026-01-01T07:00:00.000Z' } });

    // 7. The agent desktop sees the active tree: one active state, the leftover task still open.
    const active = (await t.ok(DESKTOP, { c: 'C2', status: 'ACTIVE' })).customer.services.nodes[0];
    expect(active.coupon).toEqual({ coupon_name: 'WINTER', discount: 0 });
    expect(active.tasks.totalCount).toBe(1);
    expect(active.states.nodes).toEqual([
      expect.objectContaining({
        stateId: search.stateId,
        status: 'COMPLETED',
        tasks: { nodes: [{ taskId: ask.taskId, status: 'ACTIVE' }] },
      }),
      expect.objectContaining({
        stateId: propose.stateId,
        status: 'ACTIVE',
        previousStateId: search.stateId,
        stateType: { name: 'propose' },
      }),
    ]);

    // 8. Completions: the task, the state, then the service with a satisfaction update.
    await t.ok(COMPLETE_TASK, { input: { taskId: ask.taskId } });
    await t.ok(COMPLETE_STATE, { input: { stateId: propose.stateId } });
    await t.ok(COMPLETE_SERVICE, { input: { serviceId, extensions: { satisfaction: { score: 9 } } } });

    // 9. Nested active and completed queries.
    expect((await t.ok(DESKTOP, { c: 'C2', status: 'ACTIVE' })).customer.services).toEqual({ totalCount: 0, nodes: [] });
    const done = (await t.ok(DESKTOP, { c: 'C2', status: 'COMPLETED' })).customer.services.nodes[0];
    expect(done).toMatchObject({ serviceId, status: 'COMPLETED', contactKey: '+1 555 0100', anonymous: false, tasks: { totalCount: 0 } });
    expect(done.extensions.satisfaction).toEqual({ score: 9 });
    expect(done.states.nodes.map((s: { status: string }) => s.status)).toEqual(['COMPLETED', 'COMPLETED']);
  });

  it('rejects a start whose extension breaks its schema, naming the path, and writes nothing', async () => {
    const before = await t.sql('SELECT count(*)::int AS n FROM service');
    const result = await t.gql(START_SERVICE, {
      input: { contactKey: 'x', extensions: { relatedOffers: [{ offerId: 'O-1' }, { offerId: 'O-1' }] } },
    });
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.extensions.relatedOffers.1' });
    expect(await t.sql('SELECT count(*)::int AS n FROM service')).toEqual(before);
  });
});
