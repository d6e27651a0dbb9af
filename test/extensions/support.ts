// Shared pieces of the extension tests: operations, the schemas most tests use, and owners
// created without the lifecycle mutations (plain SQL), so these tests depend on nothing else.
import { expect } from 'vitest';
import { createTestGateway, type GraphQLResponse, type TestGateway } from '../support/gateway.js';

export const CREATE_SCHEMA = /* GraphQL */ `
  mutation Create($input: CreateExtensionSchemaInput!) {
    createExtensionSchema(input: $input) {
      extensionSchema { owner name multiValued unique attributes { name type length mandatory default } }
    }
  }
`;

export const DELETE_SCHEMA = /* GraphQL */ `
  mutation Delete($input: DeleteExtensionSchemaInput!) {
    deleteExtensionSchema(input: $input) { deleted owner name removedFrom }
  }
`;

export const START_SERVICE = /* GraphQL */ `
  mutation Start($input: StartServiceInput!) {
    startService(input: $input) { service { serviceId extensions } }
  }
`;

/** A single-valued SERVICE extension with one attribute of every type. */
export const COUPON = {
  owner: 'SERVICE',
  name: 'coupon',
  multiValued: false,
  attributes: [
    { name: 'coupon_name', type: 'STRING', length: 10, mandatory: true },
    { name: 'discount', type: 'CURRENCY' },
    { name: 'count', type: 'INTEGER' },
    { name: 'big', type: 'LONG' },
    { name: 'ratio', type: 'DOUBLE' },
    { name: 'validUntil', type: 'DATE' },
    { name: 'issuedAt', type: 'DATETIME' },
    { name: 'active', type: 'BOOLEAN', default: true },
  ],
};

/** A multi-valued SERVICE extension keyed by offerId. */
export const RELATED_OFFERS = {
  owner: 'SERVICE',
  name: 'relatedOffers',
  multiValued: true,
  unique: ['offerId'],
  attributes: [
    { name: 'offerId', type: 'STRING' },
    { name: 'price', type: 'CURRENCY' },
    { name: 'note', type: 'STRING' },
  ],
};

export async function createSchema(t: TestGateway, input: Record<string, unknown>) {
  return (await t.ok(CREATE_SCHEMA, { input })).createExtensionSchema.extensionSchema;
}

/** A strict and a schemaless gateway, each knowing COUPON and RELATED_OFFERS. */
export async function createStrictAndSchemaless(): Promise<[TestGateway, TestGateway]> {
  const gateways = await Promise.all([createTestGateway(), createTestGateway({ EXTENSIONS_MODE: 'schemaless' })]);
  for (const t of gateways) {
    await createSchema(t, COUPON);
    await createSchema(t, RELATED_OFFERS);
  }
  return gateways;
}

/** A service inserted directly, with the given extensions. */
export async function insertService(t: TestGateway, extensions: Record<string, unknown> = {}): Promise<string> {
  const [row] = await t.sql(
    `INSERT INTO service (contact_key, started_at, extensions) VALUES ('test', now(), $1) RETURNING service_id::text AS id`,
    [extensions],
  );
  return row.id;
}

export async function insertState(t: TestGateway, serviceId: string, extensions: Record<string, unknown> = {}): Promise<string> {
  const [row] = await t.sql(
    'INSERT INTO state (service_id, started_at, extensions) VALUES ($1, now(), $2) RETURNING state_id::text AS id',
    [serviceId, extensions],
  );
  return row.id;
}

export async function insertTask(t: TestGateway, serviceId: string, extensions: Record<string, unknown> = {}): Promise<string> {
  const [row] = await t.sql('INSERT INTO task (service_id, started_at, extensions) VALUES ($1, now(), $2) RETURNING task_id::text AS id', [
    serviceId,
    extensions,
  ]);
  return row.id;
}

export async function insertCustomer(t: TestGateway, customerId: string, extensions: Record<string, unknown> = {}): Promise<void> {
  await t.sql('INSERT INTO customer (customer_id, extensions) VALUES ($1, $2)', [customerId, extensions]);
}

export async function extensionsOf(t: TestGateway, table: 'service' | 'state' | 'task' | 'customer', id: string) {
  const [row] = await t.sql(`SELECT extensions FROM ${table} WHERE ${table}_id = $1`, [id]);
  return row.extensions;
}

/** Asserts a failed request: its one error's code, and for BAD_USER_INPUT its field. */
export function expectError(result: GraphQLResponse, code: string, field?: string): void {
  expect(result.errors, JSON.stringify(result)).toHaveLength(1);
  expect(result.errors![0].extensions).toMatchObject(field === undefined ? { code } : { code, field });
}
