// One test per lifecycle rule of the spec (context-services.md, "Lifecycle rules").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../support/gateway.js';
import {
  ASSOCIATE_SERVICE,
  COMPLETE_SERVICE,
  COMPLETE_STATE,
  COMPLETE_TASK,
  COUNT_ROWS,
  START_SERVICE,
  START_STATE,
  START_TASK,
  TRANSITION_STATE,
} from '../support/operations.js';

let t: TestGateway;
beforeAll(async () => {
  t = await createTestGateway({ EXTENSIONS_MODE: 'schemaless' });
});
afterAll(() => t.close());

async function startService(input: Record<string, unknown>) {
  return (await t.ok(START_SERVICE, { input })).startService.service;
}
async function startState(input: Record<string, unknown>) {
  return (await t.ok(START_STATE, { input })).startState.state;
}
async function startTask(input: Record<string, unknown>) {
  return (await t.ok(START_TASK, { input })).startTask.task;
}

/** Runs a failing mutation and returns its one error, after checking nothing was written. */
async function rejected(query: string, input: Record<string, unknown>) {
  const before = await t.sql(COUNT_ROWS);
  const result = await t.gql(query, { input });
  expect(result.errors, JSON.stringify(result)).toHaveLength(1);
  // A bad variable fails the whole request before execution: no `data` at all.
  expect(result.data ?? null).toBeNull();
  expect(await t.sql(COUNT_ROWS)).toEqual(before);
  return result.errors![0];
}

describe('rule 1: a service needs a customerId or a contactKey', () => {
  it('starts an anonymous service with only a contact key', async () => {
    const service = await startService({ contactKey: '+33 1 00 00 00 01' });
    expect(service).toMatchObject({ customerId: null, anonymous: true, contactKey: '+33 1 00 00 00 01' });
  });

  it('rejects neither, and empty keys', async () => {
    expect((await rejected(START_SERVICE, {})).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.customerId' });
    expect((await rejected(START_SERVICE, { contactKey: '  ' })).extensions).toMatchObject({ field: 'input.contactKey' });
  });
});

describe('input bounds', () => {
  it('rejects over-long keys, session ids and descriptions', async () => {
    const long = 'x'.repeat(257);
    expect((await rejected(START_SERVICE, { customerId: long })).extensions).toMatchObject({ field: 'input.customerId' });
    expect((await rejected(START_SERVICE, { customerId: 'b', sessionId: long })).extensions).toMatchObject({ field: 'input.sessionId' });
    const service = await startService({ customerId: 'b' });
    const error = await rejected(COMPLETE_SERVICE, { serviceId: service.serviceId, dispositionDesc: 'd'.repeat(4001) });
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.dispositionDesc' });
  });
});

describe('rule 2: the server assigns ids', () => {
  it('returns 64-bit integer ids as strings and has no id input', async () => {
    const service = await startService({ customerId: 'ids' });
    expect(service.serviceId).toMatch(/^\d+$/);
    const error = (await t.gql(START_SERVICE, { input: { customerId: 'ids', serviceId: '5' } })).errors![0];
    expect(error.extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('rule 3: timestamps', () => {
  it('uses the server time with millisecond precision when omitted', async () => {
    const before = Date.now();
    const service = await startService({ customerId: 'time' });
    const at = Date.parse(service.started.timestamp);
    expect(service.started.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(Date.now());
  });

  it('accepts offsets and returns UTC with milliseconds', async () => {
    const service = await startService({ customerId: 'time', timestamp: '2026-03-01T10:00:00.123+02:00' });
    expect(service.started.timestamp).toBe('2026-03-01T08:00:00.123Z');
  });

  it.each(['2026-02-30T10:00:00Z', '2026-03-01T10:00:00', '2026-03-01', 'yesterday', '2026-03-01 10:00:00Z'])(
    'rejects the malformed timestamp %s',
    async (timestamp) => {
      const error = await rejected(START_SERVICE, { customerId: 'time', timestamp });
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.timestamp' });
    },
  );

  it('rejects a completion earlier than the start', async () => {
    const service = await startService({ customerId: 'time', timestamp: '2026-03-01T10:00:00Z' });
    const error = await rejected(COMPLETE_SERVICE, { serviceId: service.serviceId, timestamp: '2026-03-01T09:59:59.999Z' });
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.timestamp' });
  });
});

describe('rule 4: association overrides earlier association', () => {
  it('moves the service from the anonymous list to C1, then from C1 to C2, keeping the contact key', async () => {
    const services = `query($c: String!) { customer(customerId: $c) { services { totalCount nodes { serviceId } } } }`;
    const anonymous = `query($k: String!) { anonymousServices(contactKey: $k) { totalCount nodes { serviceId } } }`;
    const service = await startService({ contactKey: 'assoc-key' });
    expect((await t.ok(anonymous, { k: 'assoc-key' })).anonymousServices.totalCount).toBe(1);

    const c1 = (await t.ok(ASSOCIATE_SERVICE, { input: { serviceId: service.serviceId, customerId: 'assoc-C1' } })).associateService
      .service;
    expect(c1).toMatchObject({ customerId: 'assoc-C1', anonymous: false, contactKey: 'assoc-key' });
    expect((await t.ok(anonymous, { k: 'assoc-key' })).anonymousServices).toEqual({ totalCount: 0, nodes: [] });
    expect((await t.ok(services, { c: 'assoc-C1' })).customer.services.nodes).toEqual([{ serviceId: service.serviceId }]);

    await t.ok(ASSOCIATE_SERVICE, { input: { serviceId: service.serviceId, customerId: 'assoc-C2', sessionId: 'later' } });
    expect((await t.ok(services, { c: 'assoc-C1' })).customer.services).toEqual({ totalCount: 0, nodes: [] });
    expect((await t.ok(services, { c: 'assoc-C2' })).customer.services.nodes).toEqual([{ serviceId: service.serviceId }]);
  });

  it('updates start-event fields and extensions sent, keeping the others', async () => {
    const service = await startService({
      contactKey: 'k2',
      sessionId: 's1',
      interactionId: 'i1',
      extensions: { a: { x: 1 }, b: { y: 2 } },
    });
    const after = (
      await t.ok(ASSOCIATE_SERVICE, {
        input: { serviceId: service.serviceId, customerId: 'upd', interactionId: 'i2', estDuration: 60, extensions: { a: { x: 9 } } },
      })
    ).associateService.service;
    expect(after.started).toMatchObject({ sessionId: 's1', interactionId: 'i2', timestamp: service.started.timestamp });
    expect(after.estDuration).toBe(60);
    expect(after.extensions).toEqual({ a: { x: 9 }, b: { y: 2 } });
  });

  it('is NOT_FOUND for an unknown service', async () => {
    const error = await rejected(ASSOCIATE_SERVICE, { serviceId: '987654321', customerId: 'x' });
    expect(error.extensions.code).toBe('NOT_FOUND');
  });
});

describe('rule 5: completing a service', () => {
  it('does not complete its states and tasks, and leftovers can still be completed', async () => {
    const service = await startService({ customerId: 'cascade' });
    const state = await startState({ serviceId: service.serviceId });
    const task = await startTask({ serviceId: service.serviceId, stateId: state.stateId });
    const completed = (await t.ok(COMPLETE_SERVICE, { input: { serviceId: service.serviceId, dispositionDesc: 'done' } })).completeService
      .service;
    expect(completed).toMatchObject({ status: 'COMPLETED', dispositionDesc: 'done' });
    const read = await t.ok(`query($id: ID!) { service(serviceId: $id) { states { nodes { status } } tasks { nodes { status } } } }`, {
      id: service.serviceId,
    });
    expect(read.service).toEqual({ states: { nodes: [{ status: 'ACTIVE' }] }, tasks: { nodes: [{ status: 'ACTIVE' }] } });
    await t.ok(COMPLETE_TASK, { input: { taskId: task.taskId } });
    await t.ok(COMPLETE_STATE, { input: { stateId: state.stateId } });
  });

  it('is a CONFLICT to complete a service, state or task twice', async () => {
    const service = await startService({ customerId: 'twice' });
    const state = await startState({ serviceId: service.serviceId });
    const task = await startTask({ serviceId: service.serviceId });
    await t.ok(COMPLETE_TASK, { input: { taskId: task.taskId } });
    await t.ok(COMPLETE_STATE, { input: { stateId: state.stateId } });
    await t.ok(COMPLETE_SERVICE, { input: { serviceId: service.serviceId } });
    expect((await rejected(COMPLETE_TASK, { taskId: task.taskId })).extensions.code).toBe('CONFLICT');
    expect((await rejected(COMPLETE_STATE, { stateId: state.stateId })).extensions.code).toBe('CONFLICT');
    expect((await rejected(COMPLETE_SERVICE, { serviceId: service.serviceId })).extensions.code).toBe('CONFLICT');
  });

  it('is a CONFLICT to start a state or task under a completed service', async () => {
    const service = await startService({ customerId: 'closed' });
    await t.ok(COMPLETE_SERVICE, { input: { serviceId: service.serviceId } });
    expect((await rejected(START_STATE, { serviceId: service.serviceId })).extensions.code).toBe('CONFLICT');
    expect((await rejected(START_TASK, { serviceId: service.serviceId })).extensions.code).toBe('CONFLICT');
  });
});

describe('rule 6: states', () => {
  it('starts a state with a previous state of the same service and completes it', async () => {
    const service = await startService({ customerId: 'states' });
    const first = await startState({ serviceId: service.serviceId, stateType: 'collect' });
    const second = await startState({ serviceId: service.serviceId, previousStateId: first.stateId });
    expect(second).toMatchObject({ previousStateId: first.stateId, status: 'ACTIVE', serviceId: service.serviceId });
    expect(first.stateType).toEqual({ id: null, name: 'collect' });
    const done = (await t.ok(COMPLETE_STATE, { input: { stateId: first.stateId, disposition: 7 } })).completeState.state;
    expect(done).toMatchObject({ status: 'COMPLETED', disposition: { id: 7, name: null } });
  });

  it('rejects a previous state of another service, and an unknown service', async () => {
    const a = await startService({ customerId: 'states' });
    const b = await startService({ customerId: 'states' });
    const other = await startState({ serviceId: b.serviceId });
    const error = await rejected(START_STATE, { serviceId: a.serviceId, previousStateId: other.stateId });
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.previousStateId' });
    expect((await rejected(START_STATE, { serviceId: '999999999' })).extensions.code).toBe('NOT_FOUND');
    expect((await rejected(START_STATE, { serviceId: 'abc' })).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.serviceId',
    });
  });
});

describe('rule 7: state transition', () => {
  it('completes one state and starts the next atomically, with shared event fields on both', async () => {
    const service = await startService({ customerId: 'trans' });
    const from = await startState({ serviceId: service.serviceId, stateType: 'search', timestamp: '2026-05-01T10:00:00Z' });
    const task = await startTask({ serviceId: service.serviceId, stateId: from.stateId, timestamp: '2026-05-01T10:01:00Z' });
    const result = (
      await t.ok(TRANSITION_STATE, {
        input: {
          serviceId: service.serviceId,
          timestamp: '2026-05-01T10:05:00.250Z',
          sessionId: 'sess',
          mediaType: 'voice',
          from: { stateId: from.stateId, dispositionDesc: 'found', extensions: { Feedback: { rating: 4 } } },
          to: { stateType: 'propose', estDuration: 120, extensions: { Sponsoring: { sponsor: 'ACME' } } },
        },
      })
    ).transitionState;
    expect(result.completed).toMatchObject({
      stateId: from.stateId,
      status: 'COMPLETED',
      dispositionDesc: 'found',
      duration: 300_250,
      completed: { timestamp: '2026-05-01T10:05:00.250Z', sessionId: 'sess', mediaType: { id: null, name: 'voice' } },
      extensions: { Feedback: { rating: 4 } },
    });
    expect(result.started).toMatchObject({
      previousStateId: from.stateId,
      status: 'ACTIVE',
      duration: null,
      estDuration: 120,
      stateType: { id: null, name: 'propose' },
      started: { timestamp: '2026-05-01T10:05:00.250Z', sessionId: 'sess', mediaType: { id: null, name: 'voice' } },
      extensions: { Sponsoring: { sponsor: 'ACME' } },
    });
    const stillActive = await t.ok(`query($id: ID!) { task(taskId: $id) { status } }`, { id: task.taskId });
    expect(stillActive.task.status).toBe('ACTIVE');
  });

  it('completes the open tasks of the state when asked to', async () => {
    const service = await startService({ customerId: 'trans' });
    const from = await startState({ serviceId: service.serviceId });
    const open = await startTask({ serviceId: service.serviceId, stateId: from.stateId });
    const done = await startTask({ serviceId: service.serviceId, stateId: from.stateId });
    await t.ok(COMPLETE_TASK, { input: { taskId: done.taskId, dispositionDesc: 'earlier' } });
    const result = (
      await t.ok(TRANSITION_STATE, {
        input: { serviceId: service.serviceId, from: { stateId: from.stateId }, to: {}, completeOpenTasks: true },
      })
    ).transitionState;
    const tasks = await t.ok(
      `query($id: ID!) { state(stateId: $id) { tasks { nodes { taskId status dispositionDesc completed { timestamp } } } } }`,
      {
        id: from.stateId,
      },
    );
    expect(tasks.state.tasks.nodes).toEqual([
      { taskId: open.taskId, status: 'COMPLETED', dispositionDesc: null, completed: { timestamp: result.completed.completed.timestamp } },
      { taskId: done.taskId, status: 'COMPLETED', dispositionDesc: 'earlier', completed: expect.any(Object) },
    ]);
  });

  it('rejects an unknown, foreign or completed from-state and changes nothing', async () => {
    const service = await startService({ customerId: 'trans' });
    const other = await startService({ customerId: 'trans' });
    const foreign = await startState({ serviceId: other.serviceId });
    const done = await startState({ serviceId: service.serviceId });
    await t.ok(COMPLETE_STATE, { input: { stateId: done.stateId } });
    const transition = (stateId: string) => ({ serviceId: service.serviceId, from: { stateId }, to: { stateType: 'x' } });
    expect((await rejected(TRANSITION_STATE, transition('987654321'))).extensions.code).toBe('NOT_FOUND');
    expect((await rejected(TRANSITION_STATE, transition(foreign.stateId))).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.from.stateId',
    });
    expect((await rejected(TRANSITION_STATE, transition(done.stateId))).extensions.code).toBe('CONFLICT');
  });
});

describe('rule 8: tasks', () => {
  it('starts a task directly in a service or inside one of its states', async () => {
    const service = await startService({ customerId: 'tasks' });
    const state = await startState({ serviceId: service.serviceId });
    const direct = await startTask({ serviceId: service.serviceId, taskType: 12 });
    const nested = await startTask({ serviceId: service.serviceId, stateId: state.stateId });
    expect(direct).toMatchObject({ stateId: null, taskType: { id: 12, name: null } });
    expect(nested).toMatchObject({ stateId: state.stateId });
    const read = await t.ok(
      `query($id: ID!) { service(serviceId: $id) { tasks { totalCount } states { nodes { tasks { nodes { taskId } } } } } }`,
      {
        id: service.serviceId,
      },
    );
    expect(read.service.tasks.totalCount).toBe(2);
    expect(read.service.states.nodes[0].tasks.nodes).toEqual([{ taskId: nested.taskId }]);
  });

  it('rejects a state of another service, and a completed state (decided)', async () => {
    const a = await startService({ customerId: 'tasks' });
    const b = await startService({ customerId: 'tasks' });
    const foreign = await startState({ serviceId: b.serviceId });
    expect((await rejected(START_TASK, { serviceId: a.serviceId, stateId: foreign.stateId })).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.stateId',
    });
    const closed = await startState({ serviceId: a.serviceId });
    await t.ok(COMPLETE_STATE, { input: { stateId: closed.stateId } });
    expect((await rejected(START_TASK, { serviceId: a.serviceId, stateId: closed.stateId })).extensions.code).toBe('CONFLICT');
  });
});

describe('rule 9: active, completed and durations', () => {
  it('gives duration in ms only on completed items, and estDuration in seconds', async () => {
    const service = await startService({ customerId: 'dur', timestamp: '2026-06-01T00:00:00Z', estDuration: 90 });
    expect(service).toMatchObject({ status: 'ACTIVE', duration: null, completed: null, estDuration: 90 });
    const done = (await t.ok(COMPLETE_SERVICE, { input: { serviceId: service.serviceId, timestamp: '2026-06-01T00:01:30.5Z' } }))
      .completeService.service;
    expect(done).toMatchObject({ status: 'COMPLETED', duration: 90_500, completed: { timestamp: '2026-06-01T00:01:30.500Z' } });
  });

  it('rejects a negative estDuration', async () => {
    expect((await rejected(START_SERVICE, { customerId: 'dur', estDuration: -1 })).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.estDuration',
    });
  });
});
