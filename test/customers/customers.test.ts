import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertCustomerSchema, LOYALTY } from '../support/extension-schema.js';
import { createTestGateway, type TestGateway } from '../support/gateway.js';

let t: TestGateway;
beforeAll(async () => {
  t = await createTestGateway();
  await insertCustomerSchema(t, LOYALTY);
  await insertCustomerSchema(t, { name: 'Prefs', attributes: [{ name: 'language', type: 'STRING', length: 10 }] });
});
afterAll(() => t.close());

const CREATE = /* GraphQL */ `
  mutation Create($input: CreateCustomerInput!) {
    createCustomer(input: $input) { customer { id customerId attributes extensions } }
  }
`;
const UPDATE = /* GraphQL */ `
  mutation Update($input: UpdateCustomerInput!) {
    updateCustomer(input: $input) { customer { customerId attributes extensions } }
  }
`;
const stored = async (customerId: string) =>
  (await t.sql('SELECT attributes, extensions FROM customer WHERE customer_id = $1', [customerId]))[0];
const customerCount = async () => (await t.sql('SELECT count(*)::int AS n FROM customer'))[0].n as number;

describe('createCustomer', () => {
  it('creates a profile with the given id and reads it back by id and by node', async () => {
    const input = {
      customerId: 'cust-1',
      attributes: { FirstName: 'Ada', LastName: 'Lovelace', PhoneNumber: ['+44 20 1234', '+44 77 5678'] },
      extensions: { loyalty: { cardNumber: 'L-1', tier: 2 } },
    };
    const { createCustomer } = await t.ok(CREATE, { input });
    // The extension is stored under its schema's spelling, whatever the client sent.
    expect(createCustomer.customer).toMatchObject({
      customerId: 'cust-1',
      attributes: input.attributes,
      extensions: { Loyalty: { cardNumber: 'L-1', tier: 2 } },
    });
    expect(await stored('cust-1')).toEqual({ attributes: input.attributes, extensions: { Loyalty: { cardNumber: 'L-1', tier: 2 } } });

    const read = await t.ok(`query { customer(customerId: "cust-1") { customerId attributes } }`);
    expect(read.customer).toEqual({ customerId: 'cust-1', attributes: input.attributes });
    const node = await t.ok(`query($id: ID!) { node(id: $id) { ... on Customer { customerId } } }`, { id: createCustomer.customer.id });
    expect(node.node).toEqual({ customerId: 'cust-1' });
  });

  it('generates a UUID when no id is given', async () => {
    const { createCustomer } = await t.ok(CREATE, { input: { attributes: { FirstName: 'Grace' } } });
    expect(createCustomer.customer.customerId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(await stored(createCustomer.customer.customerId)).toEqual({ attributes: { FirstName: 'Grace' }, extensions: {} });
  });

  it('refuses an existing id with CONFLICT and leaves the profile alone', async () => {
    await t.ok(CREATE, { input: { customerId: 'cust-dup', attributes: { FirstName: 'First' } } });
    const result = await t.gql(CREATE, { input: { customerId: 'cust-dup', attributes: { FirstName: 'Second' } } });
    expect(result.errors?.[0].extensions.code).toBe('CONFLICT');
    expect(result.errors?.[0].message).toContain('cust-dup');
    expect(await stored('cust-dup')).toEqual({ attributes: { FirstName: 'First' }, extensions: {} });
  });

  it('refuses, with CONFLICT, an id that a service created implicitly: they are the same record', async () => {
    const started = await t.ok(`mutation { startService(input: { customerId: "cust-implicit" }) { service { serviceId } } }`);
    expect(await stored('cust-implicit')).toEqual({ attributes: {}, extensions: {} });
    const result = await t.gql(CREATE, { input: { customerId: 'cust-implicit', attributes: { FirstName: 'Late' } } });
    expect(result.errors?.[0].extensions.code).toBe('CONFLICT');
    expect(await stored('cust-implicit')).toEqual({ attributes: {}, extensions: {} });

    // The implicit record takes a profile through updateCustomer and keeps its services.
    const { updateCustomer } = await t.ok(
      `mutation { updateCustomer(input: { customerId: "cust-implicit", attributes: { FirstName: "Late" } }) {
         customer { attributes services { nodes { serviceId } } } } }`,
    );
    expect(updateCustomer.customer).toEqual({
      attributes: { FirstName: 'Late' },
      services: { nodes: [{ serviceId: started.startService.service.serviceId }] },
    });
  });

  it.each([
    ['a number', { Age: 42 }, 'input.attributes.Age'],
    ['a boolean', { Vip: true }, 'input.attributes.Vip'],
    ['null', { FirstName: null }, 'input.attributes.FirstName'],
    ['an object', { Address: { city: 'Paris' } }, 'input.attributes.Address'],
    ['an empty string', { FirstName: '  ' }, 'input.attributes.FirstName'],
    ['an empty array', { PhoneNumber: [] }, 'input.attributes.PhoneNumber'],
    ['an array holding a number', { PhoneNumber: ['+1 555', 5550] }, 'input.attributes.PhoneNumber.1'],
    ['an empty attribute name', { '': 'x' }, 'input.attributes'],
    ['a value over 1024 characters', { Notes: 'x'.repeat(1025) }, 'input.attributes.Notes'],
  ])('refuses %s as a core attribute and writes nothing', async (_what, attributes, field) => {
    const before = await customerCount();
    const result = await t.gql(CREATE, { input: { customerId: 'cust-bad', attributes } });
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await customerCount()).toBe(before);
  });

  it.each([
    ['a string where the schema wants an integer', { Loyalty: { cardNumber: 'L-2', tier: 'gold' } }, 'input.extensions.Loyalty.tier'],
    ['a string longer than its schema allows', { Loyalty: { cardNumber: 'L'.repeat(21) } }, 'input.extensions.Loyalty.cardNumber'],
    ['an attribute its schema lacks', { Prefs: { language: 'fr', theme: 'dark' } }, 'input.extensions.Prefs.theme'],
    ['an array for a single-valued extension', { Prefs: [{ language: 'fr' }] }, 'input.extensions.Prefs'],
  ])('refuses %s in an extension and writes nothing', async (_what, extensions, field) => {
    const before = await customerCount();
    const result = await t.gql(CREATE, { input: { customerId: 'cust-bad', attributes: { FirstName: 'X' }, extensions } });
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await customerCount()).toBe(before);
  });

  it('refuses an unknown extension in strict mode and writes nothing', async () => {
    const before = await customerCount();
    const result = await t.gql(CREATE, { input: { customerId: 'cust-bad', extensions: { coupon: { code: 'X' } } } });
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.extensions.coupon' });
    expect(await customerCount()).toBe(before);
  });
});

describe('updateCustomer', () => {
  beforeAll(async () => {
    await t.ok(CREATE, {
      input: {
        customerId: 'cust-up',
        attributes: { FirstName: 'Alan', LastName: 'Turing', EmailAddress: ['alan@example.org'] },
        extensions: { Loyalty: { cardNumber: 'L-9', tier: 1 }, Prefs: { language: 'en' } },
      },
    });
  });

  it('replaces all core attributes when they are given', async () => {
    const { updateCustomer } = await t.ok(UPDATE, { input: { customerId: 'cust-up', attributes: { FirstName: 'Alan M.' } } });
    expect(updateCustomer.customer.attributes).toEqual({ FirstName: 'Alan M.' });
    expect((await stored('cust-up')).attributes).toEqual({ FirstName: 'Alan M.' });
  });

  it('replaces the extensions sent and keeps the others; omitted attributes stay', async () => {
    const { updateCustomer } = await t.ok(UPDATE, { input: { customerId: 'cust-up', extensions: { loyalty: { cardNumber: 'L-10' } } } });
    expect(updateCustomer.customer).toEqual({
      customerId: 'cust-up',
      attributes: { FirstName: 'Alan M.' },
      extensions: { Loyalty: { cardNumber: 'L-10' }, Prefs: { language: 'en' } },
    });
    expect(await stored('cust-up')).toEqual({
      attributes: { FirstName: 'Alan M.' },
      extensions: { Loyalty: { cardNumber: 'L-10' }, Prefs: { language: 'en' } },
    });
  });

  it('answers NOT_FOUND for an unknown customer and creates nothing', async () => {
    const before = await customerCount();
    const result = await t.gql(UPDATE, { input: { customerId: 'nobody', attributes: { FirstName: 'X' } } });
    expect(result.errors?.[0].extensions.code).toBe('NOT_FOUND');
    expect(result.errors?.[0].message).toContain('nobody');
    expect(await customerCount()).toBe(before);
  });

  it('refuses bad attributes or extensions and changes nothing', async () => {
    const before = await stored('cust-up');
    const badAttributes = await t.gql(UPDATE, { input: { customerId: 'cust-up', attributes: { FirstName: 7 } } });
    expect(badAttributes.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.attributes.FirstName' });
    const badExtension = await t.gql(UPDATE, {
      input: { customerId: 'cust-up', attributes: { FirstName: 'Changed' }, extensions: { Nope: {} } },
    });
    expect(badExtension.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.extensions.Nope' });
    expect(await stored('cust-up')).toEqual(before);
  });
});
