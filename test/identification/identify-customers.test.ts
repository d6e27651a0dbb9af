import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identifyDocument, listIdentificationKeys } from '../../src/identification/identification-key.rules.js';
import { insertCustomerSchema, LOYALTY } from '../support/extension-schema.js';
import { createTestGateway, type TestGateway } from '../support/gateway.js';

let t: TestGateway;

const IDENTIFY = /* GraphQL */ `
  query Identify($attributes: JSONObject!, $key: String, $first: Int) {
    identifyCustomers(attributes: $attributes, key: $key, first: $first) { customerId }
  }
`;
const identify = async (attributes: Record<string, unknown>, key?: string, first?: number) =>
  ((await t.ok(IDENTIFY, { attributes, key, first })).identifyCustomers as { customerId: string }[]).map((c) => c.customerId);

async function customer(customerId: string, attributes: Record<string, unknown>, extensions: Record<string, unknown> = {}) {
  await t.ok(`mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { customerId } } }`, {
    input: { customerId, attributes, extensions },
  });
}
async function key(name: string, source: string, attributes: string[], unique = false) {
  await t.ok(`mutation($input: CreateIdentificationKeyInput!) { createIdentificationKey(input: $input) { identificationKey { name } } }`, {
    input: { name, source, attributes, unique },
  });
}

beforeAll(async () => {
  t = await createTestGateway();
  await insertCustomerSchema(t, LOYALTY);
  await insertCustomerSchema(t, {
    name: 'Cars',
    multiValued: true,
    unique: ['plate'],
    attributes: [
      { name: 'plate', type: 'STRING', length: 12, mandatory: true },
      { name: 'country', type: 'STRING', length: 2 },
    ],
  });
  await key('FullName', 'profile', ['FirstName', 'LastName']);
  await key('Phone', 'profile', ['PhoneNumber'], true);
  await key('Card', 'Loyalty', ['cardNumber']);
  await key('Plate', 'Cars', ['plate', 'country']);
  await customer(
    'ada',
    { FirstName: 'Ada', LastName: 'Lovelace', PhoneNumber: ['+44 1', '+44 2'] },
    {
      Loyalty: { cardNumber: 'CARD-7', tier: 1 },
      Cars: [
        { plate: 'AB-123', country: 'UK' },
        { plate: 'ZZ-9', country: 'FR' },
      ],
    },
  );
  await customer('ada-2', { FirstName: 'ada', LastName: ' LOVELACE', PhoneNumber: '+44 3' });
  await customer('bob', { FirstName: 'Bob', LastName: 'Smith', PhoneNumber: '+1 9' }, { Loyalty: { cardNumber: 'card-8' } });
});
afterAll(() => t.close());

describe('identifyCustomers', () => {
  it('picks the first key, in creation order, that the attributes fully cover', async () => {
    expect(await identify({ PhoneNumber: '+44 3' })).toEqual(['ada-2']);
    // FullName is covered and older than Phone, so it decides: both Adas, whatever the phone says.
    expect(await identify({ FirstName: 'Ada', LastName: 'Lovelace', PhoneNumber: '+1 9' })).toEqual(['ada', 'ada-2']);
    // FirstName alone covers no key; PhoneNumber does.
    expect(await identify({ FirstName: 'Ada', PhoneNumber: '+1 9' })).toEqual(['bob']);
  });

  it('uses the key it is given', async () => {
    expect(await identify({ FirstName: 'Ada', LastName: 'Lovelace', PhoneNumber: '+1 9' }, 'Phone')).toEqual(['bob']);
  });

  it('matches a multi-valued attribute on any element, ignoring case and surrounding spaces', async () => {
    expect(await identify({ PhoneNumber: '+44 2' })).toEqual(['ada']);
    expect(await identify({ PhoneNumber: ' +44 1 ' })).toEqual(['ada']);
    expect(await identify({ FirstName: 'ADA', LastName: 'lovelace ' })).toEqual(['ada', 'ada-2']);
    // An array given to identify matches any of its elements.
    expect(await identify({ PhoneNumber: ['+1 9', '+44 3', '+0 0'] })).toEqual(['ada-2', 'bob']);
  });

  it('matches inside an extension object, and inside each record of a multi-valued extension', async () => {
    expect(await identify({ cardNumber: 'CARD-8' })).toEqual(['bob']);
    expect(await identify({ plate: 'zz-9', country: 'fr' })).toEqual(['ada']);
    // Values of two different records do not combine.
    expect(await identify({ plate: 'AB-123', country: 'FR' })).toEqual([]);
  });

  it('sees variables inside a JSON literal argument (the compiled executor cannot; graphql-js runs those)', async () => {
    const data = await t.ok(`query($phone: String!) { identifyCustomers(attributes: { PhoneNumber: $phone }) { customerId } }`, {
      phone: '+44 2',
    });
    expect(data.identifyCustomers).toEqual([{ customerId: 'ada' }]);
  });

  it('returns an empty list when nobody matches', async () => {
    expect(await identify({ PhoneNumber: '+99 999' })).toEqual([]);
  });

  it('returns at most `first` customers, in customerId order', async () => {
    expect(await identify({ FirstName: 'Ada', LastName: 'Lovelace' }, undefined, 1)).toEqual(['ada']);
    const result = await t.gql(IDENTIFY, { attributes: { PhoneNumber: '+44 1' }, first: 501 });
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  it('loads the customers with nested services in one statement after reading the keys', async () => {
    await t.ok(`mutation { startService(input: { customerId: "bob", contactKey: "+1 9" }) { service { serviceId } } }`);
    const statements = await t.recordQueries(async () => {
      const data = await t.ok(`{ identifyCustomers(attributes: { PhoneNumber: ["+1 9", "+44 3"] }) {
        customerId attributes services(status: ACTIVE) { totalCount nodes { contactKey customer { customerId } } } } }`);
      expect(data.identifyCustomers).toEqual([
        {
          customerId: 'ada-2',
          attributes: { FirstName: 'ada', LastName: ' LOVELACE', PhoneNumber: '+44 3' },
          services: { totalCount: 0, nodes: [] },
        },
        {
          customerId: 'bob',
          attributes: { FirstName: 'Bob', LastName: 'Smith', PhoneNumber: '+1 9' },
          services: { totalCount: 1, nodes: [{ contactKey: '+1 9', customer: { customerId: 'bob' } }] },
        },
      ]);
    });
    expect(statements).toHaveLength(2);
    expect(statements[0]).toMatch(/FROM identification_key/);
  });

  it('refuses an unknown key, naming the keys that exist', async () => {
    const result = await t.gql(IDENTIFY, { attributes: { PhoneNumber: '+44 1' }, key: 'Passport' });
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'key' });
    expect(result.errors?.[0].message).toMatch(
      /"Passport".*FullName \(FirstName, LastName\); Phone \(PhoneNumber\); Card \(cardNumber\); Plate \(plate, country\)/,
    );
  });

  it('refuses a key whose attributes are not all given', async () => {
    const result = await t.gql(IDENTIFY, { attributes: { FirstName: 'Ada' }, key: 'FullName' });
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'attributes' });
    expect(result.errors?.[0].message).toMatch(/LastName/);
  });

  it('refuses attributes that cover no key, naming the keys that exist', async () => {
    for (const attributes of [{ FirstName: 'Ada' }, { PhoneNumber: null }, {}]) {
      const result = await t.gql(IDENTIFY, { attributes });
      expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'attributes' });
      expect(result.errors?.[0].message).toMatch(/FullName \(FirstName, LastName\); Phone \(PhoneNumber\)/);
    }
  });

  it.each([
    ['an object', { a: 1 }],
    ['an empty array', []],
    ['an array holding an object', ['+44 1', {}]],
  ])('refuses %s as a value to match', async (_what, value) => {
    const result = await t.gql(IDENTIFY, { attributes: { PhoneNumber: value } });
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'attributes.PhoneNumber' });
  });
});

describe('identifyCustomers without keys', () => {
  it('says that no key exists yet', async () => {
    const fresh = await createTestGateway();
    try {
      const result = await fresh.gql(IDENTIFY, { attributes: { PhoneNumber: '+44 1' } });
      expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'attributes' });
      expect(result.errors?.[0].message).toMatch(/no identification key exists/);
    } finally {
      await fresh.close();
    }
  });
});

describe('identifyCustomers with many values', () => {
  const phones = (n: number) => Array.from({ length: n }, (_, i) => `+33 6 ${String(i).padStart(8, '0')}`);

  it('matches up to 1000 value combinations, and refuses more before any SQL runs', async () => {
    expect(await identify({ PhoneNumber: [...phones(999), '+44 3'] })).toEqual(['ada-2']);
    const statements = await t.recordQueries(async () => {
      const result = await t.gql(IDENTIFY, { attributes: { PhoneNumber: phones(1001) } });
      expect(result.errors?.[0]).toMatchObject({
        message: 'at most 1000 value combinations may be matched at once; key Phone gets 1001 from the values given',
        extensions: { code: 'BAD_USER_INPUT', field: 'attributes' },
      });
    });
    expect(statements.filter((s) => s.includes('customer_identity'))).toEqual([]);
    // Combinations multiply across a key's attributes: 40 first names by 30 last names.
    const result = await t.gql(IDENTIFY, { attributes: { FirstName: phones(40), LastName: phones(30) } });
    expect(result.errors?.[0].message).toMatch(/key FullName gets 1200 from the values given/);
  });

  it('normalises the values it is given as many small records, not one holding them all (quadratic)', async () => {
    const key = (await listIdentificationKeys(t.db.pool)).find((k) => k.name === 'Phone')!;
    const values = phones(1000);
    // Server-side execution time of the normalisation identify runs, best of three.
    const executionMs = async (doc: unknown) => {
      let best = Number.POSITIVE_INFINITY;
      for (let run = 0; run < 3; run++) {
        const [row] = await t.sql<{ 'QUERY PLAN': [{ 'Execution Time': number }] }>(
          'EXPLAIN (ANALYZE, FORMAT JSON) SELECT count(*) FROM customer_identity_values($1::jsonb, $2::text[])',
          [JSON.stringify(doc), key.attributes],
        );
        best = Math.min(best, row['QUERY PLAN'][0]['Execution Time']);
      }
      return best;
    };
    const doc = identifyDocument(key, { PhoneNumber: values });
    expect(doc).toHaveLength(1000);
    expect(doc[1]).toEqual({ PhoneNumber: values[1] });
    // One record holding every value: each step of the normalisation carries all of them.
    expect((await executionMs({ PhoneNumber: values })) / (await executionMs(doc))).toBeGreaterThan(4);
  });

  it('counts each value combination in the cost limit', async () => {
    const limited = await createTestGateway({ MAX_COST: '100' }, t.databaseUrl);
    try {
      expect((await limited.gql(IDENTIFY, { attributes: { PhoneNumber: phones(90) }, first: 1 })).errors).toBeUndefined();
      const result = await limited.gql(IDENTIFY, { attributes: { PhoneNumber: phones(150) }, first: 1 });
      expect(result.errors?.[0]).toMatchObject({ extensions: { code: 'QUERY_LIMIT_EXCEEDED', limit: 'cost' } });
      expect(result.errors?.[0].message).toMatch(/found 150/);
    } finally {
      await limited.close();
    }
  });
});
