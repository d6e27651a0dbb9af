// Concurrent writes against real PostgreSQL: the row locks in the rules must serialise them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../support/gateway.js';
import { ASSOCIATE_SERVICE, COMPLETE_SERVICE, START_SERVICE, START_STATE, TRANSITION_STATE } from '../support/operations.js';

let t: TestGateway;
beforeAll(async () => {
  t = await createTestGateway({ EXTENSIONS_MODE: 'schemaless', DB_POOL_SIZE: '10' });
});
afterAll(() => t.close());

const ROUNDS = 10;

describe('concurrent writes', () => {
  it('two transitions from the same state: exactly one succeeds, the other is a CONFLICT', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const service = (await t.ok(START_SERVICE, { input: { customerId: 'race' } })).startService.service;
      const from = (await t.ok(START_STATE, { input: { serviceId: service.serviceId } })).startState.state;
      const transition = (stateType: string) =>
        t.gql(TRANSITION_STATE, { input: { serviceId: service.serviceId, from: { stateId: from.stateId }, to: { stateType } } });
      const results = await Promise.all([transition('a'), transition('b')]);
      const ok = results.filter((r) => !r.errors);
      const failed = results.filter((r) => r.errors);
      expect(ok).toHaveLength(1);
      expect(failed.map((r) => r.errors![0].extensions.code)).toEqual(['CONFLICT']);
      const states = await t.sql('SELECT count(*)::int AS n FROM state WHERE service_id = $1', [service.serviceId]);
      expect(states[0].n).toBe(2);
    }
  });

  it('concurrent associations leave the service with exactly one customer, listed once', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const service = (await t.ok(START_SERVICE, { input: { contactKey: `race-${round}` } })).startService.service;
      const customers = ['A', 'B', 'C', 'D'].map((c) => `race-${round}-${c}`);
      const results = await Promise.all(
        customers.map((customerId) => t.gql(ASSOCIATE_SERVICE, { input: { serviceId: service.serviceId, customerId } })),
      );
      expect(results.every((r) => !r.errors)).toBe(true);
      const listed = await Promise.all(
        customers.map(
          async (c) =>
            (await t.ok(`query($c: String!) { customer(customerId: $c) { services { totalCount } } }`, { c })).customer.services.totalCount,
        ),
      );
      expect(listed.reduce((a: number, b: number) => a + b, 0)).toBe(1);
      const [row] = await t.sql('SELECT customer_id FROM service WHERE service_id = $1', [service.serviceId]);
      expect(listed[customers.indexOf(row.customer_id)]).toBe(1);
    }
  });

  it('a state started while its service completes either lands before the completion or is a CONFLICT', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const service = (await t.ok(START_SERVICE, { input: { customerId: 'race' } })).startService.service;
      const [state, done] = await Promise.all([
        t.gql(START_STATE, { input: { serviceId: service.serviceId } }),
        t.gql(COMPLETE_SERVICE, { input: { serviceId: service.serviceId } }),
      ]);
      expect(done.errors).toBeUndefined();
      if (state.errors) {
        expect(state.errors[0].extensions.code).toBe('CONFLICT');
        expect(await t.sql('SELECT 1 FROM state WHERE service_id = $1', [service.serviceId])).toEqual([]);
      } else {
        const [row] = await t.sql(
          'SELECT st.started_at <= s.completed_at AS before FROM state st JOIN service s USING (service_id) WHERE st.state_id = $1',
          [state.data.startState.state.stateId],
        );
        expect(row.before).toBe(true);
      }
    }
  });
});
