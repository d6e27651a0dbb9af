// Declares a CUSTOMER extension schema straight in the database, for tests that need one
// without going through createExtensionSchema.
import type { TestGateway } from './gateway.js';

export interface SchemaRow {
  name: string;
  multiValued?: boolean;
  unique?: string[];
  attributes: { name: string; type: string; length?: number; mandatory?: boolean }[];
}

export async function insertCustomerSchema(t: TestGateway, schema: SchemaRow): Promise<void> {
  await t.sql(
    `INSERT INTO extension_schema (owner, name, name_key, multi_valued, "unique", attributes)
     VALUES ('CUSTOMER', $1, lower($1), $2, $3, $4)`,
    [schema.name, schema.multiValued ?? false, schema.unique ?? [], JSON.stringify(schema.attributes)],
  );
}

/** A single-valued customer extension several suites use: a loyalty card. */
export const LOYALTY: SchemaRow = {
  name: 'Loyalty',
  attributes: [
    { name: 'cardNumber', type: 'STRING', length: 20 },
    { name: 'tier', type: 'INTEGER' },
  ],
};
