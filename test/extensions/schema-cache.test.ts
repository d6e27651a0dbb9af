// startService validates extensions against a per-process copy of the schemas and writes with ONE
// statement that holds the schemas it used. A copy gone stale (a schema deleted or replaced by a
// process whose notification has not arrived yet) must never let data through unchecked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../support/gateway.js';
import { COUPON, createSchema, DELETE_SCHEMA, expectError, START_SERVICE } from './support.js';

let t: TestGateway;
beforeAll(async () => {
  t = await createTestGateway();
  await createSchema(t, COUPON);
});
afterAll(() => t.close());

const start = (extensions: Record<string, unknown>, customerId = 'cache-customer') =>
  t.gql(START_SERVICE, { input: { customerId, extensions } });

const counts = async () =>
  (await t.sql(`SELECT (SELECT count(*)::int FROM service) AS services, (SELECT count(*)::int FROM customer) AS customers`))[0];

/**
 * Leaves the gateway with a warm copy of the schemas that no notification in flight will drop:
 * the one a schema creation sent arrives within milliseconds, then a start reads no schema.
 */
async function settledCopy(extensions: Record<string, unknown>): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 200));
  await start(extensions);
  const statements = await t.recordQueries(async () => expect((await start(extensions)).errors).toBeUndefined());
  expect(statements).toHaveLength(1);
}

/** Changes schemas behind the gateway's back: plain SQL, no notification. */
const unnotified = (text: string) => t.sql(text);

const note = (name: string, attribute: string) => ({
  owner: 'SERVICE',
  name,
  multiValued: false,
  attributes: [{ name: attribute, type: 'STRING' }],
});

describe('startService with cached schemas', () => {
  it('is one statement, with no transaction around it', async () => {
    await settledCopy({ coupon: { coupon_name: 'warm' } });
    const statements = await t.recordQueries(async () => {
      const result = await start({ coupon: { coupon_name: 'X', discount: 5 } });
      expect(result.errors).toBeUndefined();
      expect(result.data.startService.service.extensions).toEqual({ coupon: { coupon_name: 'X', discount: 5, active: true } });
    });
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/FOR KEY SHARE/);
  });

  it('sees a schema created or deleted through this gateway at once', async () => {
    await createSchema(t, note('fresh', 'a'));
    expect((await start({ fresh: { a: 'x' } })).errors).toBeUndefined();
    await t.ok(DELETE_SCHEMA, { input: { owner: 'SERVICE', name: 'fresh' } });
    expectError(await start({ fresh: { a: 'x' } }), 'BAD_USER_INPUT', 'input.extensions.fresh');
  });

  it('refuses data for a schema deleted behind its copy, and writes nothing', async () => {
    await createSchema(t, note('gone', 'a'));
    await settledCopy({ gone: { a: 'cached' } });
    await unnotified(`DELETE FROM extension_schema WHERE name = 'gone'`);
    const before = await counts();
    expectError(await start({ gone: { a: 'stale' } }, 'never-created'), 'BAD_USER_INPUT', 'input.extensions.gone');
    expect(await counts()).toEqual(before);
  });

  it('validates against a schema replaced behind its copy, not against the copy', async () => {
    await createSchema(t, note('swapped', 'a'));
    await settledCopy({ swapped: { a: 'cached' } });
    await unnotified(`DELETE FROM extension_schema WHERE name = 'swapped'`);
    await unnotified(
      `INSERT INTO extension_schema (owner, name, name_key, multi_valued, "unique", attributes)
       VALUES ('SERVICE', 'swapped', 'swapped', false, '{}', '[{"name":"b","type":"STRING","length":null,"mandatory":true,"default":null}]')`,
    );
    const before = await counts();
    expectError(await start({ swapped: { a: 'old shape' } }), 'BAD_USER_INPUT', 'input.extensions.swapped.a');
    expect(await counts()).toEqual(before);
    const result = await start({ swapped: { b: 'new shape' } });
    expect(result.errors).toBeUndefined();
    expect(result.data.startService.service.extensions).toEqual({ swapped: { b: 'new shape' } });
  });
});

describe('transitionState with cached schemas', () => {
  const TRANSITION = /* GraphQL */ `
    mutation($input: TransitionStateInput!) {
      transitionState(input: $input) { completed { stateId status extensions } started { stateId previousStateId extensions } }
    }
  `;
  const activeState = async () => {
    const { serviceId } = (await start({})).data.startService.service;
    const { stateId } = (await t.ok(`mutation($s: ID!) { startState(input: { serviceId: $s }) { state { stateId } } }`, { s: serviceId }))
      .startState.state;
    return { serviceId, stateId };
  };
  const stateRows = async () => (await t.sql(`SELECT count(*)::int AS n, count(completed_at)::int AS done FROM state`))[0];

  it('is one statement, with no transaction around it', async () => {
    await createSchema(t, { ...note('stateNote', 'a'), owner: 'STATE' });
    // The same schema on both sides, held once.
    const input = (serviceId: string, stateId: string) => ({
      serviceId,
      from: { stateId, extensions: { stateNote: { a: 'done' } } },
      to: { extensions: { stateNote: { a: 'next' } } },
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const warm = await activeState();
    expect((await t.gql(TRANSITION, { input: input(warm.serviceId, warm.stateId) })).errors).toBeUndefined();
    const { serviceId, stateId } = await activeState();
    let result: any;
    const statements = await t.recordQueries(async () => {
      result = await t.gql(TRANSITION, { input: input(serviceId, stateId) });
    });
    expect(result.errors).toBeUndefined();
    expect(result.data.transitionState).toEqual({
      completed: { stateId, status: 'COMPLETED', extensions: { stateNote: { a: 'done' } } },
      started: { stateId: expect.any(String), previousStateId: stateId, extensions: { stateNote: { a: 'next' } } },
    });
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/^WITH guard/);
  });

  it('refuses data for a schema deleted behind its copy, and changes nothing', async () => {
    await createSchema(t, { ...note('stateGone', 'a'), owner: 'STATE' });
    const { serviceId, stateId } = await activeState();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const first = await activeState();
    const warm = await t.gql(TRANSITION, {
      input: { serviceId: first.serviceId, from: { stateId: first.stateId }, to: { extensions: { stateGone: { a: 'x' } } } },
    });
    expect(warm.errors).toBeUndefined();
    await unnotified(`DELETE FROM extension_schema WHERE name = 'stateGone'`);
    const before = await stateRows();
    const refused = await t.gql(TRANSITION, { input: { serviceId, from: { stateId }, to: { extensions: { stateGone: { a: 'stale' } } } } });
    expectError(refused, 'BAD_USER_INPUT', 'input.to.extensions.stateGone');
    expect(await stateRows()).toEqual(before);
  });
});
