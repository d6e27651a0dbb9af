import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphQLResponse, TestGateway } from '../support/gateway.js';
import {
  createSchema,
  createStrictAndSchemaless,
  expectError,
  extensionsOf,
  insertCustomer,
  insertService,
  insertState,
  insertTask,
} from './support.js';

let t: TestGateway;
let schemaless: TestGateway;
beforeAll(async () => {
  [t, schemaless] = await createStrictAndSchemaless();
});
afterAll(() => Promise.all([t.close(), schemaless.close()]));

type Operation = 'updateExtension' | 'mergeExtension' | 'updateExtensionRecord' | 'deleteExtensionRecord' | 'deleteExtension';

const INPUT_TYPES: Record<Operation, string> = {
  updateExtension: 'UpdateExtensionInput',
  mergeExtension: 'MergeExtensionInput',
  updateExtensionRecord: 'UpdateExtensionRecordInput',
  deleteExtensionRecord: 'DeleteExtensionRecordInput',
  deleteExtension: 'DeleteExtensionInput',
};

function call(op: Operation, input: Record<string, unknown>, gateway = t): Promise<GraphQLResponse> {
  return gateway.gql(`mutation($input: ${INPUT_TYPES[op]}!) { ${op}(input: $input) { extensions } }`, { input });
}

async function ok(op: Operation, input: Record<string, unknown>, gateway = t) {
  const result = await call(op, input, gateway);
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data![op].extensions;
}

/** Calls an operation on a service expected to fail; asserts the error and that its extensions did not change. */
async function expectRejected(op: Operation, serviceId: string, input: Record<string, unknown>, code: string, field?: string) {
  const before = await extensionsOf(t, 'service', serviceId);
  expectError(await call(op, { owner: 'SERVICE', ownerId: serviceId, ...input }), code, field);
  expect(await extensionsOf(t, 'service', serviceId)).toEqual(before);
}

const OFFERS = [
  { offerId: 'o1', price: 10 },
  { offerId: 'o2', price: 20, note: 'second' },
];

describe('updateExtension', () => {
  it('replaces one extension and leaves the others', async () => {
    const id = await insertService(t, { coupon: { coupon_name: 'OLD', discount: 1 }, relatedOffers: OFFERS });
    const extensions = await ok('updateExtension', { owner: 'SERVICE', ownerId: id, name: 'Coupon', value: { coupon_name: 'NEW' } });
    expect(extensions).toEqual({ coupon: { coupon_name: 'NEW', active: true }, relatedOffers: OFFERS });
    expect(await extensionsOf(t, 'service', id)).toEqual(extensions);
  });

  it('works on states, tasks and customers', async () => {
    await createSchema(t, { owner: 'STATE', name: 'step', multiValued: false, attributes: [{ name: 'n', type: 'INTEGER' }] });
    await createSchema(t, { owner: 'TASK', name: 'step', multiValued: false, attributes: [{ name: 'n', type: 'INTEGER' }] });
    await createSchema(t, { owner: 'CUSTOMER', name: 'step', multiValued: false, attributes: [{ name: 'n', type: 'INTEGER' }] });
    const service = await insertService(t);
    const state = await insertState(t, service);
    const task = await insertTask(t, service);
    await insertCustomer(t, 'C-step');
    for (const [owner, ownerId, table] of [
      ['STATE', state, 'state'],
      ['TASK', task, 'task'],
      ['CUSTOMER', 'C-step', 'customer'],
    ] as const) {
      expect(await ok('updateExtension', { owner, ownerId, name: 'step', value: { n: 3 } })).toEqual({ step: { n: 3 } });
      expect(await extensionsOf(t, table, ownerId)).toEqual({ step: { n: 3 } });
    }
  });

  it('validates the value, naming the path under input.value', async () => {
    const id = await insertService(t, { coupon: { coupon_name: 'OLD' } });
    await expectRejected(
      'updateExtension',
      id,
      { name: 'coupon', value: { coupon_name: 'TOO LONG A NAME' } },
      'BAD_USER_INPUT',
      'input.value.coupon_name',
    );
    await expectRejected(
      'updateExtension',
      id,
      { name: 'relatedOffers', value: [{ offerId: 'a' }, { offerId: 'a' }] },
      'BAD_USER_INPUT',
      'input.value.1',
    );
    await expectRejected('updateExtension', id, { name: 'coupon', value: 'text' }, 'BAD_USER_INPUT', 'input.value');
  });

  it('rejects an unknown extension in strict mode; schemaless mode stores it as given, under the spelling it has', async () => {
    const id = await insertService(t);
    await expectRejected('updateExtension', id, { name: 'free', value: { x: 1 } }, 'BAD_USER_INPUT', 'input.name');
    const other = await insertService(schemaless, { Free: 'old' });
    expect(await ok('updateExtension', { owner: 'SERVICE', ownerId: other, name: 'free', value: [1, 'two'] }, schemaless)).toEqual({
      Free: [1, 'two'],
    });
  });

  it('answers NOT_FOUND for an unknown owner', async () => {
    expectError(
      await call('updateExtension', { owner: 'SERVICE', ownerId: '987654321', name: 'coupon', value: { coupon_name: 'A' } }),
      'NOT_FOUND',
    );
    // Schemaless mode needs no schema per owner kind to get as far as the owner.
    for (const [owner, ownerId] of [
      ['SERVICE', 'not-a-number'],
      ['STATE', '1'],
      ['TASK', '1'],
      ['CUSTOMER', 'nobody'],
    ]) {
      expectError(await call('updateExtension', { owner, ownerId, name: 'free', value: 1 }, schemaless), 'NOT_FOUND');
    }
    expect(await schemaless.sql(`SELECT 1 FROM customer WHERE customer_id = 'nobody'`)).toEqual([]);
  });
});

describe('mergeExtension', () => {
  it('creates an absent object extension, validated with defaults', async () => {
    const id = await insertService(t);
    expect(await ok('mergeExtension', { owner: 'SERVICE', ownerId: id, name: 'coupon', value: { coupon_name: 'NEW' } })).toEqual({
      coupon: { coupon_name: 'NEW', active: true },
    });
  });

  it('adds and overwrites keys; a key sent as null is removed', async () => {
    const id = await insertService(t, { coupon: { coupon_name: 'OLD', discount: 5, count: 1 } });
    const extensions = await ok('mergeExtension', {
      owner: 'SERVICE',
      ownerId: id,
      name: 'coupon',
      value: { discount: 7.5, ratio: 0.5, count: null },
    });
    expect(extensions).toEqual({ coupon: { coupon_name: 'OLD', discount: 7.5, ratio: 0.5, active: true } });
  });

  it('validates the merged result', async () => {
    const id = await insertService(t, { coupon: { coupon_name: 'OLD' } });
    await expectRejected(
      'mergeExtension',
      id,
      { name: 'coupon', value: { coupon_name: null } },
      'BAD_USER_INPUT',
      'input.value.coupon_name',
    );
    await expectRejected('mergeExtension', id, { name: 'coupon', value: { unknown: 1 } }, 'BAD_USER_INPUT', 'input.value.unknown');
  });

  it('is refused on a multi-valued extension', async () => {
    const id = await insertService(t, { relatedOffers: OFFERS });
    await expectRejected('mergeExtension', id, { name: 'relatedOffers', value: { offerId: 'o3' } }, 'BAD_USER_INPUT', 'input.name');
  });

  it('lets concurrent merges on one owner all land (no lost update)', async () => {
    const attributes = Array.from({ length: 8 }, (_, i) => ({ name: `k${i}`, type: 'INTEGER' }));
    await createSchema(t, { owner: 'SERVICE', name: 'tally', multiValued: false, attributes });
    const id = await insertService(t, { tally: {} });
    await Promise.all(
      attributes.map((a, i) => ok('mergeExtension', { owner: 'SERVICE', ownerId: id, name: 'tally', value: { [a.name]: i } })),
    );
    expect(await extensionsOf(t, 'service', id)).toEqual({ tally: Object.fromEntries(attributes.map((a, i) => [a.name, i])) });
  });
});

describe('updateExtensionRecord', () => {
  it('replaces the record with the same unique attributes', async () => {
    const id = await insertService(t, { relatedOffers: OFFERS });
    const extensions = await ok('updateExtensionRecord', {
      owner: 'SERVICE',
      ownerId: id,
      name: 'relatedOffers',
      record: { offerId: 'o2', price: 25 },
    });
    expect(extensions).toEqual({ relatedOffers: [OFFERS[0], { offerId: 'o2', price: 25 }] });
  });

  it('answers NOT_FOUND when no record matches or the extension is absent', async () => {
    const id = await insertService(t, { relatedOffers: OFFERS });
    await expectRejected('updateExtensionRecord', id, { name: 'relatedOffers', record: { offerId: 'o9' } }, 'NOT_FOUND');
    const empty = await insertService(t);
    await expectRejected('updateExtensionRecord', empty, { name: 'relatedOffers', record: { offerId: 'o1' } }, 'NOT_FOUND');
  });

  it('validates the record, and works on multi-valued extensions only', async () => {
    const id = await insertService(t, { relatedOffers: OFFERS, coupon: { coupon_name: 'A' } });
    await expectRejected(
      'updateExtensionRecord',
      id,
      { name: 'relatedOffers', record: { offerId: 'o1', price: 'free' } },
      'BAD_USER_INPUT',
      'input.record.price',
    );
    await expectRejected(
      'updateExtensionRecord',
      id,
      { name: 'relatedOffers', record: { price: 1 } },
      'BAD_USER_INPUT',
      'input.record.offerId',
    );
    await expectRejected('updateExtensionRecord', id, { name: 'coupon', record: { coupon_name: 'B' } }, 'BAD_USER_INPUT', 'input.name');
  });

  it('needs a schema even in schemaless mode', async () => {
    const id = await insertService(schemaless, { free: [{ id: 1 }] });
    expectError(
      await call('updateExtensionRecord', { owner: 'SERVICE', ownerId: id, name: 'free', record: { id: 1 } }, schemaless),
      'BAD_USER_INPUT',
      'input.name',
    );
  });
});

describe('deleteExtensionRecord', () => {
  it('deletes the record whose unique attributes equal the key', async () => {
    const id = await insertService(t, { relatedOffers: OFFERS });
    expect(await ok('deleteExtensionRecord', { owner: 'SERVICE', ownerId: id, name: 'relatedoffers', key: { offerId: 'o1' } })).toEqual({
      relatedOffers: [OFFERS[1]],
    });
  });

  it('answers NOT_FOUND when no record matches', async () => {
    const id = await insertService(t, { relatedOffers: OFFERS });
    await expectRejected('deleteExtensionRecord', id, { name: 'relatedOffers', key: { offerId: 'o9' } }, 'NOT_FOUND');
  });

  it('takes exactly the unique attributes as key', async () => {
    const id = await insertService(t, { relatedOffers: OFFERS });
    await expectRejected(
      'deleteExtensionRecord',
      id,
      { name: 'relatedOffers', key: { offerId: 'o1', note: 'x' } },
      'BAD_USER_INPUT',
      'input.key.note',
    );
    await expectRejected('deleteExtensionRecord', id, { name: 'relatedOffers', key: {} }, 'BAD_USER_INPUT', 'input.key.offerId');
    await expectRejected(
      'deleteExtensionRecord',
      id,
      { name: 'relatedOffers', key: { offerId: 1 } },
      'BAD_USER_INPUT',
      'input.key.offerId',
    );
  });

  it('matches keys in their stored form (DATETIME compared as instants)', async () => {
    await createSchema(t, {
      owner: 'SERVICE',
      name: 'visits',
      multiValued: true,
      unique: ['at'],
      attributes: [{ name: 'at', type: 'DATETIME' }],
    });
    const id = await insertService(t);
    await ok('updateExtension', {
      owner: 'SERVICE',
      ownerId: id,
      name: 'visits',
      value: [{ at: '2026-05-01T12:00:00Z' }, { at: '2026-05-02T12:00:00Z' }],
    });
    expect(
      await ok('deleteExtensionRecord', { owner: 'SERVICE', ownerId: id, name: 'visits', key: { at: '2026-05-01T14:00:00+02:00' } }),
    ).toEqual({
      visits: [{ at: '2026-05-02T12:00:00.000Z' }],
    });
  });
});

describe('deleteExtension', () => {
  it('removes one extension, found by any spelling; NOT_FOUND when absent', async () => {
    const id = await insertService(t, { coupon: { coupon_name: 'A' }, relatedOffers: OFFERS });
    expect(await ok('deleteExtension', { owner: 'SERVICE', ownerId: id, name: 'COUPON' })).toEqual({ relatedOffers: OFFERS });
    await expectRejected('deleteExtension', id, { name: 'coupon' }, 'NOT_FOUND');
  });
});
