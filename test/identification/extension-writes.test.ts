// The dedicated extension data mutations on customers keep identification in step, since keys
// may read a customer extension.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertCustomerSchema, LOYALTY } from '../support/extension-schema.js';
import { createTestGateway, type TestGateway } from '../support/gateway.js';

let t: TestGateway;
beforeAll(async () => {
  t = await createTestGateway();
  await insertCustomerSchema(t, LOYALTY);
  await t.ok(`mutation { createIdentificationKey(input: { name: "Card", source: "Loyalty", attributes: ["cardNumber"], unique: true }) {
    identificationKey { name } } }`);
  for (const [customerId, cardNumber] of [
    ['anna', 'A-1'],
    ['ben', 'B-1'],
  ]) {
    await t.ok(`mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { customerId } } }`, {
      input: { customerId, extensions: { Loyalty: { cardNumber } } },
    });
  }
});
afterAll(() => t.close());

const identify = async (cardNumber: string) =>
  (await t.ok(`query($a: JSONObject!) { identifyCustomers(attributes: $a) { customerId } }`, { a: { cardNumber } })).identifyCustomers;
const UPDATE = `mutation($input: UpdateExtensionInput!) { updateExtension(input: $input) { extensions } }`;

describe('extension data mutations on customers', () => {
  it('updateExtension re-indexes the customer: the new value identifies it, the old one no longer does', async () => {
    await t.ok(UPDATE, { input: { owner: 'CUSTOMER', ownerId: 'anna', name: 'loyalty', value: { cardNumber: 'A-2' } } });
    expect(await identify('A-2')).toEqual([{ customerId: 'anna' }]);
    expect(await identify('A-1')).toEqual([]);
  });

  it('mergeExtension into a unique key another customer holds is CONFLICT, and changes nothing', async () => {
    const result = await t.gql(`mutation($input: MergeExtensionInput!) { mergeExtension(input: $input) { extensions } }`, {
      input: { owner: 'CUSTOMER', ownerId: 'ben', name: 'Loyalty', value: { cardNumber: 'a-2' } },
    });
    expect(result.errors?.[0].extensions.code).toBe('CONFLICT');
    expect(result.errors?.[0].message).toMatch(/Card.*anna/);
    expect((await t.sql(`SELECT extensions FROM customer WHERE customer_id = 'ben'`))[0].extensions).toEqual({
      Loyalty: { cardNumber: 'B-1' },
    });
    expect(await identify('B-1')).toEqual([{ customerId: 'ben' }]);
  });

  it('deleteExtension removes what the extension identified', async () => {
    await t.ok(`mutation { deleteExtension(input: { owner: CUSTOMER, ownerId: "ben", name: "Loyalty" }) { extensions } }`);
    expect(await identify('B-1')).toEqual([]);
    expect(await t.sql(`SELECT 1 FROM customer_identity WHERE customer_id = 'ben'`)).toEqual([]);
  });

  it('refuses to delete the schema a key uses', async () => {
    const result = await t.gql(`mutation { deleteExtensionSchema(input: { owner: CUSTOMER, name: "Loyalty" }) { name } }`);
    expect(result.errors?.[0].extensions.code).toBe('CONFLICT');
    expect(result.errors?.[0].message).toMatch(/Card/);
  });
});
