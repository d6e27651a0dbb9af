import type { PoolClient } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transactionOn } from '../../src/db/transaction.js';
import { validateExtensions } from '../../src/extensions/validate.js';
import { createTestGateway, type TestGateway } from '../support/gateway.js';
import { waitForSession } from '../support/sessions.js';
import {
  COUPON,
  CREATE_SCHEMA,
  createSchema,
  DELETE_SCHEMA,
  expectError,
  extensionsOf,
  insertCustomer,
  insertService,
  insertTask,
  RELATED_OFFERS,
  START_SERVICE,
} from './support.js';

let t: TestGateway;
beforeAll(async () => {
  t = await createTestGateway();
  await createSchema(t, COUPON);
  await createSchema(t, RELATED_OFFERS);
});
afterAll(() => t.close());

const schemaCount = async () => (await t.sql('SELECT count(*)::int AS n FROM extension_schema'))[0].n;

/** Sends a schema creation expected to fail; asserts the error and that nothing was stored. */
async function expectRejected(input: Record<string, unknown>, code: string, field?: string) {
  const before = await schemaCount();
  expectError(await t.gql(CREATE_SCHEMA, { input }), code, field);
  expect(await schemaCount()).toBe(before);
}

const simple = (name: string, extra: Record<string, unknown> = {}) => ({
  owner: 'SERVICE',
  name,
  multiValued: false,
  attributes: [{ name: 'a', type: 'STRING' }],
  ...extra,
});

describe('createExtensionSchema', () => {
  it('stores the schema; unique attributes become mandatory', async () => {
    const schema = (
      await t.ok(
        `{ extensionSchema(owner: SERVICE, name: "relatedOffers") { name multiValued unique attributes { name type mandatory length default } } }`,
      )
    ).extensionSchema;
    expect(schema).toEqual({
      name: 'relatedOffers',
      multiValued: true,
      unique: ['offerId'],
      attributes: [
        { name: 'offerId', type: 'STRING', mandatory: true, length: null, default: null },
        { name: 'price', type: 'CURRENCY', mandatory: false, length: null, default: null },
        { name: 'note', type: 'STRING', mandatory: false, length: null, default: null },
      ],
    });
  });

  it('stores defaults in their stored form (DATETIME in UTC)', async () => {
    const schema = await createSchema(
      t,
      simple('stamped', { attributes: [{ name: 'at', type: 'DATETIME', default: '2026-01-02T03:04:05+02:00' }] }),
    );
    expect(schema.attributes[0].default).toBe('2026-01-02T01:04:05.000Z');
  });

  it.each([
    ['a 26-character name', 'a2345678901234567890123456'],
    ['letters, digits and underscores', 'Offer_2_b'],
  ])('accepts %s', async (_what, name) => {
    expect((await createSchema(t, simple(name))).name).toBe(name);
  });

  it.each([
    ['27 characters', 'a23456789012345678901234567'],
    ['a leading digit', '2coupon'],
    ['a leading underscore', '_coupon'],
    ['a dash', 'my-coupon'],
    ['a non-ASCII letter', 'café'],
    ['nothing', ''],
  ])('rejects a name with %s', async (_what, name) => {
    await expectRejected(simple(name), 'BAD_USER_INPUT', 'input.name');
  });

  it('treats names case-insensitively: another spelling is a CONFLICT', async () => {
    await expectRejected(simple('COUPON'), 'CONFLICT');
  });

  it('allows the same name for another owner kind', async () => {
    expect((await createSchema(t, { ...simple('coupon'), owner: 'TASK' })).owner).toBe('TASK');
  });

  it.each([
    ['no attributes', { attributes: [] }, 'input.attributes'],
    ['an attribute name with a dash', { attributes: [{ name: 'a-b', type: 'STRING' }] }, 'input.attributes.0.name'],
    ['an attribute name of 65 characters', { attributes: [{ name: `a${'b'.repeat(64)}`, type: 'STRING' }] }, 'input.attributes.0.name'],
    [
      'attribute names differing only in case',
      {
        attributes: [
          { name: 'code', type: 'STRING' },
          { name: 'Code', type: 'INTEGER' },
        ],
      },
      'input.attributes.1.name',
    ],
    ['a length on an INTEGER', { attributes: [{ name: 'n', type: 'INTEGER', length: 5 }] }, 'input.attributes.0.length'],
    ['a zero length', { attributes: [{ name: 's', type: 'STRING', length: 0 }] }, 'input.attributes.0.length'],
    ['a default of the wrong type', { attributes: [{ name: 'n', type: 'INTEGER', default: 'ten' }] }, 'input.attributes.0.default'],
    [
      'a default longer than the length',
      { attributes: [{ name: 's', type: 'STRING', length: 2, default: 'abc' }] },
      'input.attributes.0.default',
    ],
    [
      'a default that is no calendar date',
      { attributes: [{ name: 'd', type: 'DATE', default: '2026-02-29' }] },
      'input.attributes.0.default',
    ],
    ['unique attributes on a single-valued schema', { unique: ['a'] }, 'input.unique'],
    ['a multi-valued schema without unique attributes', { multiValued: true }, 'input.unique'],
    ['a unique attribute that does not exist', { multiValued: true, unique: ['b'] }, 'input.unique.0'],
    ['a unique attribute listed twice', { multiValued: true, unique: ['a', 'a'] }, 'input.unique.1'],
  ])('rejects %s', async (_what, extra, field) => {
    await expectRejected(simple('rejected', extra), 'BAD_USER_INPUT', field);
  });

  it('rejects an unknown attribute type at the GraphQL layer', async () => {
    await expectRejected(simple('rejected', { attributes: [{ name: 'a', type: 'MONEY' }] }), 'BAD_USER_INPUT');
  });
});

describe('extensionSchemas / extensionSchema', () => {
  it('finds a schema by any spelling of its name and answers null for an unknown one', async () => {
    const found = await t.ok(`{
      a: extensionSchema(owner: SERVICE, name: "RELATEDoffers") { name }
      b: extensionSchema(owner: STATE, name: "relatedOffers") { name }
      c: extensionSchema(owner: SERVICE, name: "nope") { name }
    }`);
    expect(found).toEqual({ a: { name: 'relatedOffers' }, b: null, c: null });
  });

  it('lists the schemas of one owner kind or of all', async () => {
    await createSchema(t, { ...simple('profileNote'), owner: 'CUSTOMER' });
    const data = await t.ok(`{ tasks: extensionSchemas(owner: TASK) { owner name } all: extensionSchemas { owner name } }`);
    expect(data.tasks).toEqual([{ owner: 'TASK', name: 'coupon' }]);
    expect(data.all.map((s: { owner: string; name: string }) => `${s.owner}.${s.name}`)).toEqual(
      expect.arrayContaining(['SERVICE.coupon', 'SERVICE.relatedOffers', 'TASK.coupon', 'CUSTOMER.profileNote']),
    );
    const serviceNames = data.all
      .filter((s: { owner: string }) => s.owner === 'SERVICE')
      .map((s: { name: string }) => s.name.toLowerCase());
    expect(serviceNames).toEqual([...serviceNames].sort());
  });
});

describe('deleteExtensionSchema', () => {
  it('deletes the data of that extension on every owner of its kind, and only that', async () => {
    await createSchema(t, simple('gift'));
    await createSchema(t, { ...simple('gift'), owner: 'TASK' });
    const s1 = await insertService(t, { gift: { a: '1' }, coupon: { coupon_name: 'keep' } });
    // Data stored before the schema existed (schemaless mode) may use another spelling.
    const s2 = await insertService(t, { GIFT: { a: '2' } });
    const s3 = await insertService(t, { coupon: { coupon_name: 'other' } });
    const task = await insertTask(t, s3, { gift: { a: 'task' } });

    const data = await t.ok(DELETE_SCHEMA, { input: { owner: 'SERVICE', name: 'Gift' } });
    expect(data.deleteExtensionSchema).toEqual({ deleted: true, owner: 'SERVICE', name: 'gift', removedFrom: 2 });
    expect(await extensionsOf(t, 'service', s1)).toEqual({ coupon: { coupon_name: 'keep' } });
    expect(await extensionsOf(t, 'service', s2)).toEqual({});
    expect(await extensionsOf(t, 'service', s3)).toEqual({ coupon: { coupon_name: 'other' } });
    expect(await extensionsOf(t, 'task', task)).toEqual({ gift: { a: 'task' } });
    expect((await t.ok(`{ extensionSchema(owner: SERVICE, name: "gift") { name } }`)).extensionSchema).toBeNull();

    // Strict mode: without its schema the extension is unknown again.
    expectError(
      await t.gql(START_SERVICE, { input: { contactKey: 'k', extensions: { gift: { a: '3' } } } }),
      'BAD_USER_INPUT',
      'input.extensions.gift',
    );
  });

  it('answers NOT_FOUND for an unknown schema', async () => {
    expectError(await t.gql(DELETE_SCHEMA, { input: { owner: 'STATE', name: 'coupon' } }), 'NOT_FOUND');
  });

  it('is refused with CONFLICT while an identification key uses it, and deletes nothing', async () => {
    await createSchema(t, { owner: 'CUSTOMER', name: 'loyalty', multiValued: false, attributes: [{ name: 'cardNo', type: 'STRING' }] });
    await insertCustomer(t, 'C-loyal', { loyalty: { cardNo: '42' } });
    await t.sql(`INSERT INTO identification_key (name, source, attributes) VALUES ('byCard', 'Loyalty', '{cardNo}')`);

    const result = await t.gql(DELETE_SCHEMA, { input: { owner: 'CUSTOMER', name: 'loyalty' } });
    expectError(result, 'CONFLICT');
    expect(result.errors![0].message).toContain('byCard');
    expect((await t.ok(`{ extensionSchema(owner: CUSTOMER, name: "loyalty") { name } }`)).extensionSchema).toEqual({ name: 'loyalty' });
    expect(await extensionsOf(t, 'customer', 'C-loyal')).toEqual({ loyalty: { cardNo: '42' } });

    await t.sql(`DELETE FROM identification_key WHERE name = 'byCard'`);
    expect((await t.ok(DELETE_SCHEMA, { input: { owner: 'CUSTOMER', name: 'loyalty' } })).deleteExtensionSchema.removedFrom).toBe(1);
    expect(await extensionsOf(t, 'customer', 'C-loyal')).toEqual({});
  });

  it('waits for a writer that validated against the schema, then removes what it wrote', async () => {
    await createSchema(t, simple('pending'));
    await withWriter(async (writer) => {
      const stored = await validateExtensions(transactionOn(writer), 'SERVICE', { pending: { a: 'x' } }, 'strict', 'input.extensions');
      const { rows } = await writer.query(
        `INSERT INTO service (contact_key, started_at, extensions) VALUES ('w', now(), $1) RETURNING service_id::text AS id`,
        [stored],
      );
      const deleting = t.gql(DELETE_SCHEMA, { input: { owner: 'SERVICE', name: 'pending' } });
      await waitForSession(t, `wait_event_type = 'Lock'`);
      await writer.query('COMMIT');
      expect((await deleting).data?.deleteExtensionSchema.removedFrom).toBe(1);
      expect(await extensionsOf(t, 'service', rows[0].id)).toEqual({});
    });
  });

  it('gives way to a writer that locked an owner before validating, instead of deadlocking with it', async () => {
    await createSchema(t, simple('contested'));
    const id = await insertService(t, { contested: { a: 'old' } });
    await withWriter(async (writer) => {
      await writer.query('SELECT 1 FROM service WHERE service_id = $1 FOR UPDATE', [id]);
      const deleting = t.gql(DELETE_SCHEMA, { input: { owner: 'SERVICE', name: 'contested' } });
      await waitForSession(t, `query LIKE 'ROLLBACK TO SAVEPOINT delete_extension_schema%'`);
      const stored = await validateExtensions(transactionOn(writer), 'SERVICE', { contested: { a: 'new' } }, 'strict', 'input.extensions');
      await writer.query('UPDATE service SET extensions = extensions || $2 WHERE service_id = $1', [id, stored]);
      await writer.query('COMMIT');
      expect((await deleting).data?.deleteExtensionSchema.removedFrom).toBe(1);
      expect(await extensionsOf(t, 'service', id)).toEqual({});
    });
  });

  it('answers CONFLICT, deleting nothing, while an owner of the data stays locked', async () => {
    await createSchema(t, simple('held'));
    const id = await insertService(t, { held: { a: 'x' } });
    await withWriter(async (writer) => {
      await writer.query('SELECT 1 FROM service WHERE service_id = $1 FOR UPDATE', [id]);
      expectError(await t.gql(DELETE_SCHEMA, { input: { owner: 'SERVICE', name: 'held' } }), 'CONFLICT');
      await writer.query('ROLLBACK');
    });
    expect((await t.ok(`{ extensionSchema(owner: SERVICE, name: "held") { name } }`)).extensionSchema).toEqual({ name: 'held' });
    expect(await extensionsOf(t, 'service', id)).toEqual({ held: { a: 'x' } });
  });
});

/** Runs `work` with a connection of its own inside an open transaction (the test ends it). */
async function withWriter(work: (writer: PoolClient) => Promise<void>): Promise<void> {
  const writer = await t.db.pool.connect();
  try {
    await writer.query('BEGIN');
    await work(writer);
  } finally {
    writer.release();
  }
}
