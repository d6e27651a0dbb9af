// Uniqueness and key backfill under concurrent writes: PostgreSQL's unique index and table lock
// decide, so these tests run writes truly at the same time, or hold one transaction open while
// another waits on it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer } from '../../src/customers/customer.rules.js';
import { type Tx, transactionOn } from '../../src/db/transaction.js';
import { createIdentificationKey } from '../../src/identification/identification-key.rules.js';
import { createTestGateway, type TestGateway } from '../support/gateway.js';
import { waitForSession } from '../support/sessions.js';

let t: TestGateway;
beforeAll(async () => {
  t = await createTestGateway();
  await t.ok(`mutation { createIdentificationKey(input: { name: "Phone", source: "profile", attributes: ["PhoneNumber"], unique: true }) {
    identificationKey { name } } }`);
});
afterAll(() => t.close());

const CREATE = /* GraphQL */ `
  mutation Create($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { customerId } } }
`;
const createWithPhone = (customerId: string, phone: string) => t.gql(CREATE, { input: { customerId, attributes: { PhoneNumber: phone } } });

/** Runs `work` in a transaction that stays open until the returned `end` is called. */
async function openTransaction(work: (tx: Tx) => Promise<unknown>) {
  const tx = await t.db.pool.connect();
  await tx.query('BEGIN');
  await work(transactionOn(tx));
  return {
    async end(outcome: 'COMMIT' | 'ROLLBACK') {
      await tx.query(outcome);
      tx.release();
    },
  };
}

describe('a unique key under concurrent writes', () => {
  it('lets exactly one of two simultaneous createCustomer with the same phone win; the other is CONFLICT', async () => {
    for (let round = 0; round < 5; round++) {
      const phone = `+33 1 00 00 00 0${round}`;
      const results = await Promise.all([createWithPhone(`race-${round}-a`, phone), createWithPhone(`race-${round}-b`, phone)]);
      const won = results.filter((r) => !r.errors);
      const lost = results.filter((r) => r.errors);
      expect(won).toHaveLength(1);
      expect(lost.map((r) => r.errors![0].extensions.code)).toEqual(['CONFLICT']);
      const rows = await t.sql(`SELECT customer_id FROM customer WHERE customer_id LIKE $1`, [`race-${round}-%`]);
      expect(rows).toEqual([{ customer_id: won[0].data.createCustomer.customer.customerId }]);
      expect(await t.sql(`SELECT customer_id FROM customer_identity WHERE value_text = $1`, [JSON.stringify([phone])])).toEqual(rows);
    }
  });

  it('makes a writer wait for an uncommitted holder of the value, then CONFLICT naming it once it commits', async () => {
    const holder = await openTransaction((tx) =>
      createCustomer(tx, { customerId: 'slow', attributes: { PhoneNumber: '+33 2' } }, 'strict'),
    );
    const waiting = createWithPhone('fast', '+33 2');
    await waitForSession(t, `wait_event_type = 'Lock'`);
    await holder.end('COMMIT');
    const result = await waiting;
    expect(result.errors?.[0].extensions.code).toBe('CONFLICT');
    expect(result.errors?.[0].message).toMatch(/customer slow/);
    expect(await t.sql(`SELECT 1 FROM customer WHERE customer_id = 'fast'`)).toEqual([]);
  });

  it('lets the waiting writer through when the holder rolls back', async () => {
    const holder = await openTransaction((tx) =>
      createCustomer(tx, { customerId: 'gone', attributes: { PhoneNumber: '+33 3' } }, 'strict'),
    );
    const waiting = createWithPhone('stays', '+33 3');
    await waitForSession(t, `wait_event_type = 'Lock'`);
    await holder.end('ROLLBACK');
    expect((await waiting).errors).toBeUndefined();
    expect(await t.sql(`SELECT customer_id FROM customer_identity WHERE value_text = '["+33 3"]'`)).toEqual([{ customer_id: 'stays' }]);
  });
});

describe('a key created while customers are written', () => {
  it('waits for in-flight customer writes and indexes them', async () => {
    const writer = await openTransaction((tx) =>
      createCustomer(tx, { customerId: 'inflight', attributes: { EmailAddress: 'in@flight.example' } }, 'strict'),
    );
    const creating = t.gql(`mutation { createIdentificationKey(input: { name: "Email", source: "profile", attributes: ["EmailAddress"] }) {
      identificationKey { name } } }`);
    await waitForSession(t, `wait_event_type = 'Lock'`);
    await writer.end('COMMIT');
    expect((await creating).errors).toBeUndefined();
    const found = await t.ok(`{ identifyCustomers(attributes: { EmailAddress: "in@flight.example" }) { customerId } }`);
    expect(found.identifyCustomers).toEqual([{ customerId: 'inflight' }]);
  });

  it('holds customer writes back until it commits, so they are indexed under it too', async () => {
    const creator = await openTransaction((tx) =>
      createIdentificationKey(tx, { name: 'Badge', source: 'profile', attributes: ['Badge'], unique: true }),
    );
    const writing = t.gql(CREATE, { input: { customerId: 'late', attributes: { Badge: 'B-1' } } });
    await waitForSession(t, `wait_event_type = 'Lock'`);
    await creator.end('COMMIT');
    expect((await writing).errors).toBeUndefined();
    const found = await t.ok(`{ identifyCustomers(attributes: { Badge: "b-1" }, key: "Badge") { customerId } }`);
    expect(found.identifyCustomers).toEqual([{ customerId: 'late' }]);
    const clash = await t.gql(CREATE, { input: { customerId: 'later', attributes: { Badge: 'B-1' } } });
    expect(clash.errors?.[0].extensions.code).toBe('CONFLICT');
  });
});
