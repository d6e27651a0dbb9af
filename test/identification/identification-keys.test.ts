import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertCustomerSchema, LOYALTY } from '../support/extension-schema.js';
import { createTestGateway, type TestGateway } from '../support/gateway.js';

let t: TestGateway;
beforeAll(async () => {
  t = await createTestGateway();
  await insertCustomerSchema(t, LOYALTY);
  await insertCustomerSchema(t, { name: 'Accounts', attributes: [{ name: 'iban', type: 'STRING', length: 34 }] });
});
afterAll(() => t.close());

const CREATE_KEY = /* GraphQL */ `
  mutation Key($input: CreateIdentificationKeyInput!) {
    createIdentificationKey(input: $input) { identificationKey { name source attributes unique createdAt } }
  }
`;
const CREATE_CUSTOMER = /* GraphQL */ `
  mutation Create($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { customerId } } }
`;
const UPDATE_CUSTOMER = /* GraphQL */ `
  mutation Update($input: UpdateCustomerInput!) { updateCustomer(input: $input) { customer { customerId } } }
`;
const keyCount = async () => (await t.sql('SELECT count(*)::int AS n FROM identification_key'))[0].n as number;
const identities = (customerId: string) =>
  t.sql(
    'SELECT k.name, ci.value_text FROM customer_identity ci JOIN identification_key k ON k.id = ci.key_id WHERE customer_id = $1 ORDER BY 1, 2',
    [customerId],
  );

describe('createIdentificationKey', () => {
  it('creates a profile key and lists keys in creation order', async () => {
    const { createIdentificationKey } = await t.ok(CREATE_KEY, {
      input: { name: 'FullName', source: 'Profile', attributes: ['FirstName', 'LastName'] },
    });
    expect(createIdentificationKey.identificationKey).toMatchObject({
      name: 'FullName',
      source: 'profile',
      attributes: ['FirstName', 'LastName'],
      unique: false,
    });
    expect(createIdentificationKey.identificationKey.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    await t.ok(CREATE_KEY, { input: { name: 'Card', source: 'loyalty', attributes: ['cardNumber'], unique: true } });
    const { identificationKeys } = await t.ok(`{ identificationKeys { name source attributes unique } }`);
    expect(identificationKeys).toEqual([
      { name: 'FullName', source: 'profile', attributes: ['FirstName', 'LastName'], unique: false },
      // The extension source is stored in its schema's spelling, whatever the client sent.
      { name: 'Card', source: 'Loyalty', attributes: ['cardNumber'], unique: true },
    ]);
  });

  it('refuses a name that exists with CONFLICT', async () => {
    const before = await keyCount();
    const result = await t.gql(CREATE_KEY, { input: { name: 'FullName', source: 'profile', attributes: ['EmailAddress'] } });
    expect(result.errors?.[0].extensions.code).toBe('CONFLICT');
    expect(await keyCount()).toBe(before);
  });

  it.each([
    ['an unknown source, naming the schemas that exist', { source: 'wallet', attributes: ['x'] }, 'input.source', /Accounts, Loyalty/],
    [
      'an attribute its extension lacks',
      { source: 'Loyalty', attributes: ['cardNumber', 'points'] },
      'input.attributes.1',
      /cardNumber, tier/,
    ],
    ['no attributes', { source: 'profile', attributes: [] }, 'input.attributes', /at least one/],
    ['an attribute listed twice', { source: 'profile', attributes: ['A', 'A'] }, 'input.attributes.1', /twice/],
    ['an empty attribute name', { source: 'profile', attributes: [' '] }, 'input.attributes.0', /empty/],
    ['eleven attributes', { source: 'profile', attributes: [...'ABCDEFGHIJK'] }, 'input.attributes', /at most 10/],
  ])('refuses %s and writes nothing', async (_what, input, field, message) => {
    const before = await keyCount();
    const result = await t.gql(CREATE_KEY, { input: { name: 'Bad', ...input } });
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(result.errors?.[0].message).toMatch(message);
    expect(await keyCount()).toBe(before);
  });

  it('refuses a malformed name', async () => {
    const result = await t.gql(CREATE_KEY, { input: { name: '1st key', source: 'profile', attributes: ['A'] } });
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
  });

  it('indexes the customers that existed before the key', async () => {
    await t.ok(CREATE_CUSTOMER, { input: { customerId: 'pre-1', attributes: { EmailAddress: ['Pre@Example.org', 'pre@work.example'] } } });
    await t.ok(CREATE_KEY, { input: { name: 'Email', source: 'profile', attributes: ['EmailAddress'] } });
    expect(await identities('pre-1')).toEqual([
      { name: 'Email', value_text: '["pre@example.org"]' },
      { name: 'Email', value_text: '["pre@work.example"]' },
    ]);
  });

  it('refuses a unique key that existing customers already collide on, naming them, and writes nothing', async () => {
    await t.ok(CREATE_CUSTOMER, { input: { customerId: 'twin-a', extensions: { Accounts: { iban: 'FR76 0001' } } } });
    await t.ok(CREATE_CUSTOMER, { input: { customerId: 'twin-b', extensions: { Accounts: { iban: 'fr76 0001 ' } } } });
    const before = await keyCount();
    const result = await t.gql(CREATE_KEY, { input: { name: 'Iban', source: 'Accounts', attributes: ['iban'], unique: true } });
    expect(result.errors?.[0].extensions.code).toBe('CONFLICT');
    expect(result.errors?.[0].message).toMatch(/twin-a and twin-b/);
    expect(await keyCount()).toBe(before);
    expect(await t.sql(`SELECT 1 FROM customer_identity WHERE value_text LIKE '%fr76%'`)).toEqual([]);

    // The same key, not unique, is fine: identify then returns both.
    await t.ok(CREATE_KEY, { input: { name: 'Iban', source: 'Accounts', attributes: ['iban'] } });
    expect(await identities('twin-b')).toEqual([{ name: 'Iban', value_text: '["fr76 0001"]' }]);
  });
});

describe('unique keys on write', () => {
  beforeAll(async () => {
    await t.ok(CREATE_KEY, { input: { name: 'Phone', source: 'profile', attributes: ['PhoneNumber'], unique: true } });
    await t.ok(CREATE_CUSTOMER, { input: { customerId: 'owner', attributes: { PhoneNumber: ['+1 555 0100', '+1 555 0101'] } } });
  });

  it('refuses a new customer sharing any element of a unique key (case and spaces ignored), naming the holder', async () => {
    for (const phone of ['+1 555 0101', ' +1 555 0100 ', ['+1 555 0999', '+1 555 0100']]) {
      const result = await t.gql(CREATE_CUSTOMER, { input: { customerId: 'intruder', attributes: { PhoneNumber: phone } } });
      expect(result.errors?.[0].extensions.code).toBe('CONFLICT');
      expect(result.errors?.[0].message).toMatch(/Phone.*owner/);
      expect(await t.sql(`SELECT 1 FROM customer WHERE customer_id = 'intruder'`)).toEqual([]);
    }
  });

  it('refuses an update taking another customer’s value, and changes nothing', async () => {
    await t.ok(CREATE_CUSTOMER, { input: { customerId: 'other', attributes: { PhoneNumber: '+1 555 0200' } } });
    const result = await t.gql(UPDATE_CUSTOMER, { input: { customerId: 'other', attributes: { PhoneNumber: '+1 555 0100' } } });
    expect(result.errors?.[0].extensions.code).toBe('CONFLICT');
    expect((await t.sql(`SELECT attributes FROM customer WHERE customer_id = 'other'`))[0].attributes).toEqual({
      PhoneNumber: '+1 555 0200',
    });
    expect(await identities('other')).toEqual([{ name: 'Phone', value_text: '["+1 555 0200"]' }]);
  });

  it('frees a value when its customer drops it, so another can take it', async () => {
    await t.ok(UPDATE_CUSTOMER, { input: { customerId: 'owner', attributes: { PhoneNumber: '+1 555 0100' } } });
    expect(await identities('owner')).toEqual([{ name: 'Phone', value_text: '["+1 555 0100"]' }]);
    await t.ok(UPDATE_CUSTOMER, { input: { customerId: 'other', attributes: { PhoneNumber: ['+1 555 0200', '+1 555 0101'] } } });
    expect(await identities('other')).toEqual([
      { name: 'Phone', value_text: '["+1 555 0101"]' },
      { name: 'Phone', value_text: '["+1 555 0200"]' },
    ]);
  });

  it('lets a customer keep its own unique values across updates', async () => {
    await t.ok(UPDATE_CUSTOMER, { input: { customerId: 'owner', attributes: { PhoneNumber: '+1 555 0100', FirstName: 'Same' } } });
    expect(await identities('owner')).toEqual([{ name: 'Phone', value_text: '["+1 555 0100"]' }]);
  });
});
