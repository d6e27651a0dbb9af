// Every write that changes a service, state, task, extension or customer records its events in
// the outbox in the same statement or transaction; a write that fails records nothing.
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { EventRow as LiveEventRow } from '../../src/events/live-context.js';
import { createTestGateway, type TestGateway } from '../support/gateway.js';
import { waitForSession } from '../support/sessions.js';

let t: TestGateway;

beforeAll(async () => {
  t = await createTestGateway({ EXTENSIONS_MODE: 'schemaless' });
});
afterAll(() => t?.close());

type EventRow = Omit<LiveEventRow, 'xid' | 'event_id' | 'occurred_at' | 'type'> & { type: string };

let seen = { xid: '0', id: '0' };

/** The events recorded since the last call, in outbox order, without the columns left NULL. */
async function newEvents(): Promise<Partial<EventRow>[]> {
  const rows = await t.sql<EventRow & { x: string; e: string }>(
    `SELECT xid::text AS x, event_id::text AS e, type, customer_id, contact_key, service_id::text, state_id::text, task_id::text,
            extension_owner::text, extension_name, previous_customer_id
       FROM context_event WHERE (xid, event_id) > ($1::xid8, $2::bigint) ORDER BY xid, event_id`,
    [seen.xid, seen.id],
  );
  if (rows.length) seen = { xid: rows.at(-1)!.x, id: rows.at(-1)!.e };
  return rows.map(({ x: _x, e: _e, ...row }) => Object.fromEntries(Object.entries(row).filter(([, v]) => v !== null)));
}

beforeEach(async () => {
  await newEvents();
});

const start = (input: Record<string, unknown>) =>
  t.ok<{ startService: { service: { serviceId: string } } }>(
    'mutation($input: StartServiceInput!) { startService(input: $input) { service { serviceId } } }',
    { input },
  );

describe('lifecycle writes', () => {
  test('startService: SERVICE_STARTED with the customer and contact key, also from the one-statement path', async () => {
    const a = (await start({ customerId: 'C-1', contactKey: '+33 1' })).startService.service.serviceId;
    const b = (await start({ contactKey: '+33 2' })).startService.service.serviceId;
    expect(await newEvents()).toEqual([
      { type: 'SERVICE_STARTED', customer_id: 'C-1', contact_key: '+33 1', service_id: a },
      { type: 'SERVICE_STARTED', contact_key: '+33 2', service_id: b },
    ]);
  });

  test('associateService: SERVICE_ASSOCIATED naming the new and the previous customer', async () => {
    const id = (await start({ contactKey: '+33 3' })).startService.service.serviceId;
    const associate = (customerId: string) =>
      t.ok('mutation($input: AssociateServiceInput!) { associateService(input: $input) { service { serviceId } } }', {
        input: { serviceId: id, customerId },
      });
    await associate('C-2');
    await associate('C-3');
    expect(await newEvents()).toEqual([
      { type: 'SERVICE_STARTED', contact_key: '+33 3', service_id: id },
      { type: 'SERVICE_ASSOCIATED', customer_id: 'C-2', contact_key: '+33 3', service_id: id },
      { type: 'SERVICE_ASSOCIATED', customer_id: 'C-3', contact_key: '+33 3', service_id: id, previous_customer_id: 'C-2' },
    ]);
  });

  test('states and tasks: started and completed, a transition completes then starts, closing tasks in between', async () => {
    const service = (await start({ customerId: 'C-4' })).startService.service.serviceId;
    const on = { customer_id: 'C-4', service_id: service };
    const { startState } = await t.ok('mutation($s: ID!) { startState(input: { serviceId: $s }) { state { stateId } } }', { s: service });
    const s1 = startState.state.stateId;
    const { startTask } = await t.ok(
      'mutation($s: ID!, $st: ID) { startTask(input: { serviceId: $s, stateId: $st }) { task { taskId } } }',
      {
        s: service,
        st: s1,
      },
    );
    const task = startTask.task.taskId;
    // The one-statement transition (no tasks to close).
    const fast = await t.ok(
      'mutation($s: ID!, $f: ID!) { transitionState(input: { serviceId: $s, from: { stateId: $f }, to: {} }) { started { stateId } } }',
      {
        s: service,
        f: s1,
      },
    );
    const s2 = fast.transitionState.started.stateId;
    const { startTask: second } = await t.ok(
      'mutation($s: ID!, $st: ID) { startTask(input: { serviceId: $s, stateId: $st }) { task { taskId } } }',
      {
        s: service,
        st: s2,
      },
    );
    // The transactional transition, closing the open task of s2.
    const slow = await t.ok(
      'mutation($s: ID!, $f: ID!) { transitionState(input: { serviceId: $s, from: { stateId: $f }, to: {}, completeOpenTasks: true }) { started { stateId } } }',
      { s: service, f: s2 },
    );
    const s3 = slow.transitionState.started.stateId;
    await t.ok('mutation($t: ID!) { completeTask(input: { taskId: $t }) { task { taskId } } }', { t: task });
    await t.ok('mutation($st: ID!) { completeState(input: { stateId: $st }) { state { stateId } } }', { st: s3 });
    await t.ok('mutation($s: ID!) { completeService(input: { serviceId: $s }) { service { serviceId } } }', { s: service });
    const task2 = second.task.taskId;
    expect(await newEvents()).toEqual([
      { type: 'SERVICE_STARTED', ...on },
      { type: 'STATE_STARTED', ...on, state_id: s1 },
      { type: 'TASK_STARTED', ...on, state_id: s1, task_id: task },
      { type: 'STATE_COMPLETED', ...on, state_id: s1 },
      { type: 'STATE_STARTED', ...on, state_id: s2 },
      { type: 'TASK_STARTED', ...on, state_id: s2, task_id: task2 },
      { type: 'STATE_COMPLETED', ...on, state_id: s2 },
      { type: 'TASK_COMPLETED', ...on, state_id: s2, task_id: task2 },
      { type: 'STATE_STARTED', ...on, state_id: s3 },
      { type: 'TASK_COMPLETED', ...on, state_id: s1, task_id: task },
      { type: 'STATE_COMPLETED', ...on, state_id: s3 },
      { type: 'SERVICE_COMPLETED', ...on },
    ]);
  });

  test('a transition that waited for an association routes its events to the customer the service then has', async () => {
    const service = (await start({ customerId: 'C-moved-from' })).startService.service.serviceId;
    const { startState } = await t.ok('mutation($s: ID!) { startState(input: { serviceId: $s }) { state { stateId } } }', { s: service });
    const from = startState.state.stateId;
    await newEvents();
    // An association holds the service row, uncommitted, while the one-statement transition begins.
    const association = new pg.Client({ connectionString: t.databaseUrl });
    await association.connect();
    await association.query('BEGIN');
    await association.query("INSERT INTO customer (customer_id) VALUES ('C-moved-to')");
    await association.query("UPDATE service SET customer_id = 'C-moved-to' WHERE service_id = $1", [service]);
    const transition = t.ok<{ transitionState: { started: { stateId: string } } }>(
      'mutation($s: ID!, $f: ID!) { transitionState(input: { serviceId: $s, from: { stateId: $f }, to: {} }) { started { stateId } } }',
      { s: service, f: from },
    );
    expect(await waitForSession(t, `wait_event_type = 'Lock'`)).toBe(1);
    await association.query('COMMIT');
    await association.end();
    const to = (await transition).transitionState.started.stateId;
    const moved = { customer_id: 'C-moved-to', service_id: service };
    expect(await newEvents()).toEqual([
      { type: 'STATE_COMPLETED', ...moved, state_id: from },
      { type: 'STATE_STARTED', ...moved, state_id: to },
    ]);
  });

  test('a write that fails records nothing', async () => {
    const service = (await start({ customerId: 'C-5' })).startService.service.serviceId;
    await t.ok('mutation($s: ID!) { completeService(input: { serviceId: $s }) { service { serviceId } } }', { s: service });
    await newEvents();
    const again = await t.gql('mutation($s: ID!) { completeService(input: { serviceId: $s }) { service { serviceId } } }', { s: service });
    expect(again.errors?.[0].extensions.code).toBe('CONFLICT');
    const late = await t.gql('mutation($s: ID!) { startState(input: { serviceId: $s }) { state { stateId } } }', { s: service });
    expect(late.errors?.[0].extensions.code).toBe('CONFLICT');
    expect(await newEvents()).toEqual([]);
  });
});

describe('extensions and customers', () => {
  test('each extension operation: EXTENSION_CHANGED routed like its owner', async () => {
    const service = (await start({ customerId: 'C-6', contactKey: 'k6' })).startService.service.serviceId;
    const { startTask } = await t.ok('mutation($s: ID!) { startTask(input: { serviceId: $s }) { task { taskId } } }', { s: service });
    const task = startTask.task.taskId;
    await newEvents();
    const update = (owner: string, ownerId: string, name: string) =>
      t.ok('mutation($i: UpdateExtensionInput!) { updateExtension(input: $i) { extensions } }', {
        i: { owner, ownerId, name, value: { a: 1 } },
      });
    await update('SERVICE', service, 'notes');
    await update('TASK', task, 'script');
    await update('CUSTOMER', 'C-6', 'vip');
    await t.ok('mutation($i: MergeExtensionInput!) { mergeExtension(input: $i) { extensions } }', {
      i: { owner: 'SERVICE', ownerId: service, name: 'notes', value: { b: 2 } },
    });
    await t.ok('mutation($i: DeleteExtensionInput!) { deleteExtension(input: $i) { extensions } }', {
      i: { owner: 'SERVICE', ownerId: service, name: 'NOTES' },
    });
    const ofService = { customer_id: 'C-6', contact_key: 'k6', service_id: service };
    expect(await newEvents()).toEqual([
      { type: 'EXTENSION_CHANGED', ...ofService, extension_owner: 'SERVICE', extension_name: 'notes' },
      { type: 'EXTENSION_CHANGED', ...ofService, task_id: task, extension_owner: 'TASK', extension_name: 'script' },
      { type: 'EXTENSION_CHANGED', customer_id: 'C-6', extension_owner: 'CUSTOMER', extension_name: 'vip' },
      { type: 'EXTENSION_CHANGED', ...ofService, extension_owner: 'SERVICE', extension_name: 'notes' },
      { type: 'EXTENSION_CHANGED', ...ofService, extension_owner: 'SERVICE', extension_name: 'notes' },
    ]);
  });

  test('deleting an extension schema: EXTENSION_CHANGED for every owner that held it', async () => {
    await t.ok(
      `mutation { createExtensionSchema(input: { owner: CUSTOMER, name: "Badge", multiValued: false,
         attributes: [{ name: "level", type: INTEGER }] }) { extensionSchema { name } } }`,
    );
    await t.ok(
      'mutation { createCustomer(input: { customerId: "C-7", extensions: { badge: { level: 1 } } }) { customer { customerId } } }',
    );
    await t.ok('mutation { createCustomer(input: { customerId: "C-8" }) { customer { customerId } } }');
    await newEvents();
    await t.ok('mutation { deleteExtensionSchema(input: { owner: CUSTOMER, name: "BADGE" }) { name } }');
    expect(await newEvents()).toEqual([
      { type: 'EXTENSION_CHANGED', customer_id: 'C-7', extension_owner: 'CUSTOMER', extension_name: 'Badge' },
    ]);
  });

  test('createCustomer and updateCustomer: CUSTOMER_CHANGED; a refused one records nothing', async () => {
    await t.ok('mutation { createCustomer(input: { customerId: "C-9", attributes: { FirstName: "Ada" } }) { customer { customerId } } }');
    await t.ok('mutation { updateCustomer(input: { customerId: "C-9", attributes: { FirstName: "Grace" } }) { customer { customerId } } }');
    const dup = await t.gql('mutation { createCustomer(input: { customerId: "C-9" }) { customer { customerId } } }');
    expect(dup.errors?.[0].extensions.code).toBe('CONFLICT');
    const unknown = await t.gql('mutation { updateCustomer(input: { customerId: "nobody" }) { customer { customerId } } }');
    expect(unknown.errors?.[0].extensions.code).toBe('NOT_FOUND');
    expect(await newEvents()).toEqual([
      { type: 'CUSTOMER_CHANGED', customer_id: 'C-9' },
      { type: 'CUSTOMER_CHANGED', customer_id: 'C-9' },
    ]);
  });
});
