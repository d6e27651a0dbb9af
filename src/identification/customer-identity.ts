// The customer_identity index: per identification key and customer, the normalised combinations
// of the customer's values for the key's attributes (the SQL function customer_identity_values
// in the migration normalises, so writes and identify compare alike). Unique keys are enforced by
// a unique partial index, so two transactions writing the same values at once cannot both win.
import type { Tx } from '../db/transaction.js';
import { conflict } from '../graphql/errors.js';
import type { SqlBuilder } from '../tree/compile.js';

/** The `source` of keys over the core profile attributes; anything else names a customer extension. */
export const PROFILE_SOURCE = 'profile';

/** The document of customer `c` that key `k` reads: its attributes or one of its extensions. */
const keyDocument = (c: string, k: string) =>
  `CASE WHEN ${k}.source = '${PROFILE_SOURCE}' THEN ${c}.attributes ELSE ${c}.extensions -> ${k}.source END`;

/** The identity rows (key_id, customer_id, is_unique, value_hash, value_text) of the customers and keys matching `where`. */
const identityRows = (where: string) => `
  SELECT k.id AS key_id, c.customer_id, k."unique" AS is_unique, v.value_hash, v.value_text
  FROM customer c
  CROSS JOIN identification_key k
  CROSS JOIN LATERAL customer_identity_values(${keyDocument('c', 'k')}, k.attributes) v
  WHERE ${where}`;

/**
 * Brings the identity rows of one customer in line with its current attributes and extensions.
 * Call it in the transaction of every write that changes either, after the INSERT/UPDATE of the
 * customer row: the table lock that write takes is what orders it against the backfill of a key
 * being created (createIdentificationKey), so no customer is missed by a new key.
 * Throws CONFLICT when a unique key's values already belong to another customer, also when that
 * customer was written by a transaction committing at the same moment.
 */
export async function refreshCustomerIdentity(tx: Tx, customerId: string): Promise<void> {
  // Rows that stay untouched are neither deleted nor rewritten: most updates do not change keys.
  const { rows: skipped } = await tx.query<{ key_id: number; value_hash: Buffer }>(
    `WITH wanted AS (${identityRows('c.customer_id = $1')}),
     existing AS (SELECT key_id, value_hash FROM customer_identity WHERE customer_id = $1),
     removed AS (
       DELETE FROM customer_identity ci WHERE ci.customer_id = $1
       AND NOT EXISTS (SELECT 1 FROM wanted w WHERE w.key_id = ci.key_id AND w.value_hash = ci.value_hash)
     ),
     added AS (
       INSERT INTO customer_identity (key_id, customer_id, is_unique, value_hash, value_text)
       SELECT w.key_id, w.customer_id, w.is_unique, w.value_hash, w.value_text FROM wanted w
       WHERE NOT EXISTS (SELECT 1 FROM existing e WHERE e.key_id = w.key_id AND e.value_hash = w.value_hash)
       ON CONFLICT (key_id, value_hash) WHERE is_unique DO NOTHING
       RETURNING key_id, value_hash
     )
     SELECT w.key_id, w.value_hash FROM wanted w
     WHERE NOT EXISTS (SELECT 1 FROM existing e WHERE e.key_id = w.key_id AND e.value_hash = w.value_hash)
       AND NOT EXISTS (SELECT 1 FROM added a WHERE a.key_id = w.key_id AND a.value_hash = w.value_hash)`,
    [customerId],
  );
  if (skipped.length === 0) return;
  // A new statement sees the holder even when it committed after the one above began.
  const { rows } = await tx.query<{ key: string; value_text: string; holder: string }>(
    `SELECT k.name AS key, ci.value_text, ci.customer_id AS holder
     FROM customer_identity ci JOIN identification_key k ON k.id = ci.key_id
     WHERE ci.is_unique AND ci.key_id = $1 AND ci.value_hash = $2`,
    [skipped[0].key_id, skipped[0].value_hash],
  );
  // The holder may have given the values up in between: the write still lost the race.
  if (rows.length === 0) throw conflict('a unique identification key matched another customer; retry the write');
  const { key, value_text, holder } = rows[0];
  throw conflict(`identification key "${key}" is unique and customer ${holder} already has its values ${value_text}`);
}

/**
 * Fills the identity rows of a new key for every existing customer. The caller holds a lock
 * that keeps customer writes out until it commits (see createIdentificationKey). For a unique
 * key, existing customers that already share values make it CONFLICT.
 */
export async function backfillKeyIdentity(tx: Tx, keyId: number): Promise<void> {
  const { rows } = await tx.query<{ wanted: number; added: number }>(
    `WITH wanted AS (${identityRows('k.id = $1')}),
     added AS (
       INSERT INTO customer_identity (key_id, customer_id, is_unique, value_hash, value_text)
       SELECT key_id, customer_id, is_unique, value_hash, value_text FROM wanted
       ON CONFLICT (key_id, value_hash) WHERE is_unique DO NOTHING
       RETURNING 1
     )
     SELECT (SELECT count(*) FROM wanted)::int AS wanted, (SELECT count(*) FROM added)::int AS added`,
    [keyId],
  );
  if (rows[0].wanted === rows[0].added) return;
  // Only on failure (the transaction is rolled back anyway): name one pair that collides.
  const { rows: clashes } = await tx.query<{ key: string; value_text: string; first: string; second: string }>(
    `SELECT k.name AS key, w.value_text, min(w.customer_id) AS first, max(w.customer_id) AS second
     FROM (${identityRows('k.id = $1')}) w JOIN identification_key k ON k.id = w.key_id
     GROUP BY k.name, w.value_hash, w.value_text HAVING count(*) > 1 LIMIT 1`,
    [keyId],
  );
  const { key, value_text, first, second } = clashes[0];
  throw conflict(`identification key "${key}" cannot be unique: customers ${first} and ${second} share its values ${value_text}`);
}

/**
 * SQL condition: customer `alias` has, for key `key`, the values of one of the records of `doc`
 * (identifyDocument), at most `limit` customers in customerId order. The probe on (key_id,
 * value_hash) is served by customer_identity_unique_idx for unique keys and by
 * customer_identity_lookup_idx for the others (the literal is_unique lets the planner pick the
 * partial index).
 */
export function matchesKeySql(
  alias: string,
  key: { id: number; unique: boolean; attributes: string[] },
  doc: Record<string, unknown>[],
  sql: SqlBuilder,
  limit: number,
): string {
  return `${alias}.customer_id IN (
    SELECT ci.customer_id FROM customer_identity ci
    WHERE ci.key_id = ${sql.param(key.id)} AND ci.is_unique = ${key.unique ? 'TRUE' : 'FALSE'}
      AND ci.value_hash IN (SELECT value_hash FROM customer_identity_values(${sql.param(JSON.stringify(doc))}::jsonb, ${sql.param(key.attributes)}::text[]))
    ORDER BY ci.customer_id LIMIT ${limit})`;
}
