// Where each kind of extension owner (service, state, task, customer) keeps its `extensions`
// column, and the reads and writes of that column.
import { isBigintId } from '../db/ids.js';
import type { Tx } from '../db/transaction.js';
import { type EventRow, eventCtes, serviceRouting } from '../events/outbox.js';
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
  /** The ids an owner row carries that its EXTENSION_CHANGED event names. */
  eventColumns: string[];
  /** What routes that event: FROM list (over `changed`, the rows returning eventColumns) and the event's ids. */
  eventSource: string;
  eventIds: Omit<EventRow, 'type'>;
}

// A service-owned row's event goes to its service's streams (joined as `s`).
const OF_SERVICE = 'changed c JOIN service s ON s.service_id = c.service_id';

const OWNERS: Record<ExtensionOwner, OwnerTable> = {
  SERVICE: {
    label: 'service',
    table: 'service',
    idColumn: 'service_id',
    possibleId: isBigintId,
    touch: '',
    eventColumns: ['service_id', 'customer_id', 'contact_key'],
    eventSource: 'changed c',
    eventIds: serviceRouting('c'),
  },
  STATE: {
    label: 'state',
    table: 'state',
    idColumn: 'state_id',
    possibleId: isBigintId,
    touch: '',
    eventColumns: ['service_id', 'state_id'],
    eventSource: OF_SERVICE,
    eventIds: { ...serviceRouting('s'), stateId: 'c.state_id' },
  },
  TASK: {
    label: 'task',
    table: 'task',
    idColumn: 'task_id',
    possibleId: isBigintId,
    touch: '',
    eventColumns: ['service_id', 'state_id', 'task_id'],
    eventSource: OF_SERVICE,
    eventIds: { ...serviceRouting('s'), stateId: 'c.state_id', taskId: 'c.task_id' },
  },
  CUSTOMER: {
    label: 'customer',
    table: 'customer',
    idColumn: 'customer_id',
    possibleId: (id) => id !== '',
    touch: ', updated_at = now()',
    eventColumns: ['customer_id'],
    eventSource: 'changed c',
    eventIds: { customerId: 'c.customer_id' },
  },
};

/** The EXTENSION_CHANGED events of the owner rows in `changed` (a CTE returning the owner's eventColumns); `name` is SQL. */
function extensionEvents(owner: ExtensionOwner, name: string): string {
  const { eventSource, eventIds } = OWNERS[owner];
  return eventCtes(eventSource, { type: 'EXTENSION_CHANGED', ...eventIds, extensionOwner: `'${owner}'`, extensionName: name });
}

/** `alias.column, ...` of the owner's eventColumns, for a RETURNING clause. */
const eventColumns = (owner: ExtensionOwner, alias: string) => OWNERS[owner].eventColumns.map((c) => `${alias}.${c}`).join(', ');

export type StoredExtensions = Record<string, unknown>;

/**
 * Locks the owner row for the rest of the transaction and returns its extensions; NOT_FOUND when
 * absent, or when `serviceId` is given and a state's or task's service is another.
 */
export async function lockOwnerExtensions(
  tx: Tx,
  owner: ExtensionOwner,
  ownerId: string,
  serviceId?: string | null,
): Promise<StoredExtensions> {
  const { label, table, idColumn, possibleId } = OWNERS[owner];
  if (!possibleId(ownerId)) throw notFound(label, ownerId);
  const ofService = serviceId != null && (owner === 'STATE' || owner === 'TASK');
  const { rows } = await tx.query<{ extensions: StoredExtensions }>(
    `SELECT extensions FROM ${table} WHERE ${idColumn} = $1${ofService ? ' AND service_id::text = $2' : ''} FOR UPDATE`,
    ofService ? [ownerId, serviceId] : [ownerId],
  );
  if (!rows[0]) throw ofService ? notFound(`${label} ${ownerId} of service`, serviceId) : notFound(label, ownerId);
  return rows[0].extensions;
}

/**
 * Replaces the owner's extensions (the row must be locked), recording that the extension named
 * `changed` changed, and returns them as stored. A
 * customer's identification keys may read its extensions, so their index follows in the same
 * transaction (CONFLICT when a unique key's values belong to another customer).
 */
export async function writeOwnerExtensions(
  tx: Tx,
  owner: ExtensionOwner,
  ownerId: string,
  extensions: StoredExtensions,
  changed: string,
): Promise<StoredExtensions> {
  const { table, idColumn, touch } = OWNERS[owner];
  const { rows } = await tx.query<{ extensions: StoredExtensions }>(
    `WITH changed AS (
       UPDATE ${table} SET extensions = $2${touch} WHERE ${idColumn} = $1 RETURNING extensions, ${eventColumns(owner, table)}
     ),
     ${extensionEvents(owner, '$3')}
     SELECT extensions FROM changed`,
    [ownerId, extensions, changed],
  );
  if (owner === 'CUSTOMER') await refreshCustomerIdentity(tx, ownerId);
  return rows[0].extensions;
}

/**
 * Removes the extension `name` (any spelling) from every owner of this kind; returns how
 * many owners had it. Fails at once with lock_not_available (55P03) when one of those owners is
 * locked by another transaction, rather than wait (see deleteExtensionSchema). A schema-wide
 * operation, so a scan is acceptable.
 */
export async function removeExtensionEverywhere(tx: Tx, owner: ExtensionOwner, name: string): Promise<number> {
  const { table, idColumn, touch } = OWNERS[owner];
  const keys = (alias: string) => `SELECT k FROM jsonb_object_keys(${alias}.extensions) k WHERE lower(k) = lower($1)`;
  const { rows } = await tx.query<{ removed: number }>(
    `WITH holders AS (SELECT ${idColumn} FROM ${table} h WHERE EXISTS (${keys('h')}) FOR NO KEY UPDATE NOWAIT),
     changed AS (
       UPDATE ${table} o SET extensions = o.extensions - ARRAY(${keys('o')})${touch}
         FROM holders WHERE o.${idColumn} = holders.${idColumn}
       RETURNING ${eventColumns(owner, 'o')}
     ),
     ${extensionEvents(owner, '$1::text')}
     SELECT count(*)::int AS removed FROM changed`,
    [name],
  );
  return rows[0].removed;
}

/** The key under which `extensions` holds the extension `name` (case-insensitive), if any. */
export function storedKey(extensions: StoredExtensions, name: string): string | undefined {
  if (name in extensions) return name;
  const wanted = name.toLowerCase();
  return Object.keys(extensions).find((key) => key.toLowerCase() === wanted);
}
