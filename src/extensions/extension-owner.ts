// Where each kind of extension owner (service, state, task, customer) keeps its `extensions`
// column, and the reads and writes of that column.
import { isBigintId } from '../db/ids.js';
import type { Tx } from '../db/transaction.js';
import type { ExtensionOwner } from '../generated/prisma/enums.js';
import { notFound } from '../graphql/errors.js';
import { refreshCustomerIdentity } from '../identification/customer-identity.js';

export type { ExtensionOwner };

interface OwnerTable {
  /** Lower-case name for messages ("service 12 does not exist"). */
  label: string;
  table: string;
  idColumn: string;
  /** Whether an id can exist; anything else is known absent without a query. */
  possibleId: (id: string) => boolean;
  /** Extra assignment made whenever the extensions change. */
  touch: string;
}

const OWNERS: Record<ExtensionOwner, OwnerTable> = {
  SERVICE: { label: 'service', table: 'service', idColumn: 'service_id', possibleId: isBigintId, touch: '' },
  STATE: { label: 'state', table: 'state', idColumn: 'state_id', possibleId: isBigintId, touch: '' },
  TASK: { label: 'task', table: 'task', idColumn: 'task_id', possibleId: isBigintId, touch: '' },
  CUSTOMER: { label: 'customer', table: 'customer', idColumn: 'customer_id', possibleId: (id) => id !== '', touch: ', updated_at = now()' },
};

export type StoredExtensions = Record<string, unknown>;

/** Locks the owner row for the rest of the transaction and returns its extensions; NOT_FOUND when absent. */
export async function lockOwnerExtensions(tx: Tx, owner: ExtensionOwner, ownerId: string): Promise<StoredExtensions> {
  const { label, table, idColumn, possibleId } = OWNERS[owner];
  if (!possibleId(ownerId)) throw notFound(label, ownerId);
  const { rows } = await tx.query<{ extensions: StoredExtensions }>(`SELECT extensions FROM ${table} WHERE ${idColumn} = $1 FOR UPDATE`, [
    ownerId,
  ]);
  if (!rows[0]) throw notFound(label, ownerId);
  return rows[0].extensions;
}

/**
 * Replaces the owner's extensions (the row must be locked) and returns them as stored. A
 * customer's identification keys may read its extensions, so their index follows in the same
 * transaction (CONFLICT when a unique key's values belong to another customer).
 */
export async function writeOwnerExtensions(
  tx: Tx,
  owner: ExtensionOwner,
  ownerId: string,
  extensions: StoredExtensions,
): Promise<StoredExtensions> {
  const { table, idColumn, touch } = OWNERS[owner];
  const { rows } = await tx.query<{ extensions: StoredExtensions }>(
    `UPDATE ${table} SET extensions = $2${touch} WHERE ${idColumn} = $1 RETURNING extensions`,
    [ownerId, extensions],
  );
  if (owner === 'CUSTOMER') await refreshCustomerIdentity(tx, ownerId);
  return rows[0].extensions;
}

/**
 * Removes the extension named `nameKey` (any spelling) from every owner of this kind; returns how
 * many owners had it. Fails at once with lock_not_available (55P03) when one of those owners is
 * locked by another transaction, rather than wait (see deleteExtensionSchema). A schema-wide
 * operation, so a scan is acceptable.
 */
export async function removeExtensionEverywhere(tx: Tx, owner: ExtensionOwner, nameKey: string): Promise<number> {
  const { table, idColumn, touch } = OWNERS[owner];
  const keys = (alias: string) => `SELECT k FROM jsonb_object_keys(${alias}.extensions) k WHERE lower(k) = $1`;
  const { rowCount } = await tx.query(
    `WITH holders AS (SELECT ${idColumn} FROM ${table} h WHERE EXISTS (${keys('h')}) FOR NO KEY UPDATE NOWAIT)
     UPDATE ${table} o SET extensions = o.extensions - ARRAY(${keys('o')})${touch}
       FROM holders WHERE o.${idColumn} = holders.${idColumn}`,
    [nameKey],
  );
  return rowCount ?? 0;
}

/** The key under which `extensions` holds the extension `name` (case-insensitive), if any. */
export function storedKey(extensions: StoredExtensions, name: string): string | undefined {
  if (name in extensions) return name;
  const wanted = name.toLowerCase();
  return Object.keys(extensions).find((key) => key.toLowerCase() === wanted);
}
