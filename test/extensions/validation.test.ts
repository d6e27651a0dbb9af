// Extension validation, driven through startService (which calls validateExtensions) so every
// case also proves that validation runs on start and that a rejected start writes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestGateway } from '../support/gateway.js';
import { createStrictAndSchemaless, expectError, START_SERVICE } from './support.js';

let strict: TestGateway;
let schemaless: TestGateway;
beforeAll(async () => {
  [strict, schemaless] = await createStrictAndSchemaless();
});
afterAll(() => Promise.all([strict.close(), schemaless.close()]));

const serviceCount = async (t: TestGateway) => (await t.sql('SELECT count(*)::int AS n FROM service'))[0].n;

async function start(t: TestGateway, extensions: Record<string, unknown>) {
  return t.gql(START_SERVICE, { input: { contactKey: 'k', extensions } });
}

async function expectRejected(t: TestGateway, extensions: Record<string, unknown>, field: string) {
  const before = await serviceCount(t);
  expectError(await start(t, extensions), 'BAD_USER_INPUT', field);
  expect(await serviceCount(t)).toBe(before);
}

const coupon = (attributes: Record<string, unknown>) => ({ coupon: { coupon_name: 'SUMMER', ...attributes } });
const offers = (...records: Record<string, unknown>[]) => ({ relatedOffers: records });

describe('validation of extension values', () => {
  it('stores a valid value under the schema spelling, defaults filled in, DATETIME in UTC', async () => {
    const sent = {
      coupon_name: 'SUMMERSALE',
      discount: 12.5,
      count: -2147483648,
      big: 9007199254740991,
      ratio: 0.25,
      validUntil: '2028-02-29',
      issuedAt: '2026-03-01T10:00:00+01:00',
    };
    const data = await strict.ok(START_SERVICE, {
      input: {
        contactKey: 'k',
        extensions: {
          COUPON: sent,
          relatedOffers: [
            { offerId: 'o1', price: 10 },
            { offerId: 'o2', note: null },
          ],
        },
      },
    });
    expect(data.startService.service.extensions).toEqual({
      coupon: { ...sent, issuedAt: '2026-03-01T09:00:00.000Z', active: true },
      relatedOffers: [{ offerId: 'o1', price: 10 }, { offerId: 'o2' }],
    });
  });

  it('rejects an unknown extension in strict mode', async () => {
    await expectRejected(strict, { nope: { a: 1 } }, 'input.extensions.nope');
  });

  it('rejects an unknown attribute', async () => {
    await expectRejected(strict, coupon({ bogus: 1 }), 'input.extensions.coupon.bogus');
  });

  it.each([
    ['STRING', 'coupon_name', 42],
    ['INTEGER (fraction)', 'count', 1.5],
    ['INTEGER (beyond 32 bits)', 'count', 2147483648],
    ['INTEGER (numeric string)', 'count', '7'],
    ['LONG (beyond 2^53)', 'big', 9007199254740992],
    ['DOUBLE', 'ratio', 'half'],
    ['DATE (not a calendar day)', 'validUntil', '2026-02-29'],
    ['DATE (with a time)', 'validUntil', '2026-02-01T00:00:00Z'],
    ['DATETIME (no zone)', 'issuedAt', '2026-03-01T10:00:00'],
    ['DATETIME (not a day)', 'issuedAt', '2026-02-30T10:00:00Z'],
    ['CURRENCY (three decimals)', 'discount', 1.234],
    ['CURRENCY (a string)', 'discount', '1.23'],
    ['CURRENCY (too large)', 'discount', 1e15],
    ['BOOLEAN', 'active', 'true'],
    ['an object for a scalar', 'count', { n: 1 }],
  ])('rejects a wrong type: %s', async (_what, attribute, value) => {
    await expectRejected(strict, coupon({ [attribute]: value }), `input.extensions.coupon.${attribute}`);
  });

  it('rejects a string longer than its length (counted in characters)', async () => {
    await expectRejected(strict, coupon({ coupon_name: 'ABCDEFGHIJK' }), 'input.extensions.coupon.coupon_name');
    const data = await strict.ok(START_SERVICE, {
      input: { contactKey: 'k', extensions: coupon({ coupon_name: '😀😀😀😀😀😀😀😀😀😀' }) },
    });
    expect(data.startService.service.extensions.coupon.coupon_name).toBe('😀😀😀😀😀😀😀😀😀😀');
  });

  it('rejects a missing mandatory attribute, also when sent as null', async () => {
    await expectRejected(strict, { coupon: { discount: 1 } }, 'input.extensions.coupon.coupon_name');
    await expectRejected(strict, { coupon: { coupon_name: null } }, 'input.extensions.coupon.coupon_name');
  });

  it('rejects an object where an array is due, and the reverse', async () => {
    await expectRejected(strict, { relatedOffers: { offerId: 'o1' } }, 'input.extensions.relatedOffers');
    await expectRejected(strict, { coupon: [{ coupon_name: 'A' }] }, 'input.extensions.coupon');
  });

  it('rejects a record that is not an object, and names the record of a bad attribute', async () => {
    await expectRejected(strict, offers({ offerId: 'o1' }, 'o2' as never), 'input.extensions.relatedOffers.1');
    await expectRejected(strict, offers({ offerId: 'o1' }, { offerId: 7 }), 'input.extensions.relatedOffers.1.offerId');
    await expectRejected(strict, offers({ offerId: 'o1' }, { price: 1 }), 'input.extensions.relatedOffers.1.offerId');
  });

  it('rejects a duplicate unique key within the array', async () => {
    await expectRejected(
      strict,
      offers({ offerId: 'o1' }, { offerId: 'o2' }, { offerId: 'o1', price: 2 }),
      'input.extensions.relatedOffers.2',
    );
  });

  it('rejects null as an extension value', async () => {
    await expectRejected(strict, { coupon: null }, 'input.extensions.coupon');
    await expectRejected(schemaless, { anything: null }, 'input.extensions.anything');
  });

  it('rejects one extension sent twice in two spellings', async () => {
    await expectRejected(strict, { coupon: { coupon_name: 'A' }, COUPON: { coupon_name: 'B' } }, 'input.extensions.COUPON');
  });
});

describe('schemaless mode', () => {
  it('stores an extension without schema as given, any JSON', async () => {
    const extensions = { note: 'free text', scores: [1, 'two', { three: 3 }], flag: false };
    const data = await schemaless.ok(START_SERVICE, { input: { contactKey: 'k', extensions } });
    expect(data.startService.service.extensions).toEqual(extensions);
  });

  it('still validates extensions that have a schema', async () => {
    await expectRejected(schemaless, { coupon: { coupon_name: 'A', count: 'many' } }, 'input.extensions.coupon.count');
    await expectRejected(schemaless, offers({ offerId: 'o1' }, { offerId: 'o1' }), 'input.extensions.relatedOffers.1');
  });
});
