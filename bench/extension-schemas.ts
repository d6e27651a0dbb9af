// The extension schemas W2's extensions are validated against, created the way a client would
// (createExtensionSchema), or written to extension_schema directly for a gateway that cannot yet.
import pg from 'pg';
import type { Send } from './verify.js';

export const EXTENSION_SCHEMAS = [
  {
    owner: 'SERVICE',
    name: 'satisfaction',
    multiValued: false,
    attributes: [
      { name: 'score', type: 'INTEGER', mandatory: true },
      { name: 'agentID', type: 'INTEGER' },
    ],
  },
  {
    owner: 'SERVICE',
    name: 'coupon',
    multiValued: false,
    attributes: [
      { name: 'coupon_name', type: 'STRING', length: 40, mandatory: true },
      { name: 'discount', type: 'DOUBLE' },
    ],
  },
];

const MUTATION = 'mutation Register($input: CreateExtensionSchemaInput!) { createExtensionSchema(input: $input) { __typename } }';

/** Returns how the schemas were created; without a gateway, directly. */
export async function registerExtensionSchemas(gateway: Send | undefined, databaseUrl: string): Promise<'mutation' | 'sql'> {
  if (!gateway) {
    await insertExtensionSchemas(databaseUrl);
    return 'sql';
  }
  for (const input of EXTENSION_SCHEMAS) {
    const answer = await gateway({ method: 'POST', path: '/graphql', body: JSON.stringify({ query: MUTATION, variables: { input } }) });
    if (answer.status === 200 && !answer.body.includes('"errors"')) continue;
    if (!answer.body.includes('Cannot query field \\"createExtensionSchema\\"')) {
      throw new Error(`createExtensionSchema failed for ${input.name}: HTTP ${answer.status} ${answer.body}`);
    }
    await insertExtensionSchemas(databaseUrl);
    return 'sql';
  }
  return 'mutation';
}

/** Rows in the format schema.prisma documents: attributes [{ name, type, length, mandatory, default }]. */
async function insertExtensionSchemas(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (const s of EXTENSION_SCHEMAS) {
      const attributes = s.attributes.map((a) => ({ length: null, mandatory: false, default: null, ...a }));
      await client.query(
        `INSERT INTO extension_schema (owner, name, name_key, multi_valued, "unique", attributes)
         VALUES ($1, $2, lower($2), $3, '{}', $4) ON CONFLICT DO NOTHING`,
        [s.owner, s.name, s.multiValued, JSON.stringify(attributes)],
      );
    }
  } finally {
    await client.end();
  }
}
