// Rules services, states and tasks share: locking an item, completing it, and checking times.
import { resolveAttributeRefs } from '../business-attributes/resolve.js';
import { isBigintId } from '../db/ids.js';
import type { Tx } from '../db/transaction.js';
import { type EventRow, eventCtes, serviceRouting } from '../events/outbox.js';
import { type ExtensionOwner, type ExtensionsMode, validateExtensions } from '../extensions/validate.js';
import { badInput, conflict, notFound } from '../graphql/errors.js';
import type { LoadedRow } from '../tree/load.js';
import { type Returning, returningColumn, written } from '../tree/returning.js';
import { buildEvent, checkLength, type StoredEvent } from './event.rules.js';
import type { EventInput } from './event.type.js';

export interface Kind {
  table: 'service' | 'state' | 'task';
  idColumn: string;
  /** GraphQL type name: picks business attribute mappings and names things in messages. */
  typeName: 'Service' | 'State' | 'Task';
  owner: ExtensionOwner;
  /** The field holding its business type (serviceType...), also the name of its mapping. */
  typeField: 'serviceType' | 'stateType' | 'taskType';
  /** The ids a row carries that its events name: its own, its service's, a task's state. */
  eventColumns: string[];
}

export const SERVICE: Kind = {
  table: 'service',
  idColumn: 'service_id',
  typeName: 'Service',
  owner: 'SERVICE',
  typeField: 'serviceType',
  eventColumns: ['service_id'],
};
export const STATE: Kind = {
  table: 'state',
  idColumn: 'state_id',
  typeName: 'State',
  owner: 'STATE',
  typeField: 'stateType',
  eventColumns: ['service_id', 'state_id'],
};
export const TASK: Kind = {
  table: 'task',
  idColumn: 'task_id',
  typeName: 'Task',
  owner: 'TASK',
  typeField: 'taskType',
  eventColumns: ['service_id', 'state_id', 'task_id'],
};

/**
 * The event `<KIND>_<what>` about the row at `item` (returning the kind's eventColumns) of the
 * service at `service`.
 */
export function itemEvent(kind: Kind, what: 'STARTED' | 'COMPLETED', item: string, service: string): EventRow {
  return {
    type: `${kind.table.toUpperCase() as Uppercase<Kind['table']>}_${what}`,
    ...serviceRouting(service),
    ...(kind.table !== 'service' && { stateId: `${item}.state_id` }),
    ...(kind.table === 'task' && { taskId: `${item}.task_id` }),
  };
}

export interface LockedItem {
  id: string;
  serviceId: string;
  /** The state a task sits in; null for services, states and tasks outside states. */
  stateId: string | null;
  startedAt: Date;
  completedAt: Date | null;
}

const MAX_DESCRIPTION_LENGTH = 4000;

/**
 * Locks one item for the rest of the transaction and returns it; NOT_FOUND when it does not
 * exist. `mode` FOR UPDATE when this request changes the item, FOR SHARE when it only needs the
 * item to stay as it is (e.g. a service that must stay active while a state starts under it).
 */
export async function lockItem(tx: Tx, kind: Kind, id: string, mode: 'UPDATE' | 'SHARE', field: string): Promise<LockedItem> {
  checkId(kind, id, field);
  const { rows } = await tx.query<LockedItem>(`${lockSql(kind, '$1', mode)}`, [id]);
  if (!rows[0]) throw notFound(kind.typeName, id);
  return rows[0];
}

export function checkId(kind: Kind, id: string, field: string): void {
  if (!isBigintId(id)) throw badInput(field, `${kind.typeName.toLowerCase()} id must be a numeric id; got ${JSON.stringify(id)}`);
}

function lockSql(kind: Kind, idParam: string, mode: 'UPDATE' | 'SHARE'): string {
  const stateColumn = kind.table === 'task' ? 'state_id::text' : 'NULL';
  return `SELECT ${kind.idColumn}::text AS "id", service_id::text AS "serviceId", ${stateColumn} AS "stateId",
                 started_at AS "startedAt", completed_at AS "completedAt"
            FROM ${kind.table} WHERE ${kind.idColumn} = ${idParam} FOR ${mode}`;
}

/**
 * Locks a service FOR SHARE (it must stay as it is) and one of its states in one round trip;
 * when either is missing, locks them one by one to say which.
 */
export async function lockServiceAndState(
  tx: Tx,
  serviceId: string,
  stateId: string,
  stateMode: 'UPDATE' | 'SHARE',
  fields: { service: string; state: string },
): Promise<[service: LockedItem, state: LockedItem]> {
  checkId(SERVICE, serviceId, fields.service);
  checkId(STATE, stateId, fields.state);
  const { rows } = await tx.query<{ service: LockedItem; state: LockedItem }>(
    `SELECT row_to_json(s) AS service, row_to_json(st) AS state
       FROM (${lockSql(SERVICE, '$1', 'SHARE')}) s, (${lockSql(STATE, '$2', stateMode)}) st`,
    [serviceId, stateId],
  );
  if (!rows[0]) {
    return [await lockItem(tx, SERVICE, serviceId, 'SHARE', fields.service), await lockItem(tx, STATE, stateId, stateMode, fields.state)];
  }
  const asItem = (row: LockedItem) => ({
    ...row,
    startedAt: new Date(row.startedAt),
    completedAt: row.completedAt ? new Date(row.completedAt) : null,
  });
  return [asItem(rows[0].service), asItem(rows[0].state)];
}

/**
 * Locks an active service FOR SHARE (a state or task is started under it) and, when `stateId` is
 * given, one of its states; `fields` name their inputs. A state of another service is BAD_USER_INPUT.
 */
export async function lockActiveServiceAndState(
  tx: Tx,
  serviceId: string,
  stateId: string | null | undefined,
  fields: { service: string; state: string },
): Promise<[service: LockedItem, state: LockedItem | null]> {
  const [service, state] =
    stateId == null
      ? [await lockItem(tx, SERVICE, serviceId, 'SHARE', fields.service), null]
      : await lockServiceAndState(tx, serviceId, stateId, 'SHARE', fields);
  assertActive(SERVICE, service);
  if (state && state.serviceId !== service.id) {
    throw badInput(fields.state, `state ${state.id} belongs to service ${state.serviceId}, not ${service.id}`);
  }
  return [service, state];
}

export function checkEstDuration(value: number | null | undefined, field: string): void {
  if (value != null && value < 0) throw badInput(field, 'estDuration is in seconds and must not be negative');
}

export function checkDispositionDesc(value: string | null | undefined, field: string): void {
  checkLength(value, MAX_DESCRIPTION_LENGTH, field);
}

export function assertActive(kind: Kind, item: LockedItem): void {
  if (item.completedAt) {
    throw conflict(`${kind.typeName} ${item.id} was already completed at ${item.completedAt.toISOString()}`);
  }
}

export function assertNotBeforeStart(item: LockedItem, at: Date, field: string): void {
  if (at < item.startedAt) {
    throw badInput(field, `completion time ${at.toISOString()} is earlier than the start ${item.startedAt.toISOString()}`);
  }
}

/** A state or task to start: the columns that place it (its service, its state or predecessor), its business type, estimate and extensions. */
export interface NewItem {
  place: Record<string, string | null>;
  type?: number | string | null;
  estDuration?: number | null;
  extensions?: Record<string, unknown> | null;
}

/**
 * Inserts a started state or task under a service already locked and checked active, with `event`,
 * and records its STARTED event in the same statement; `path` is where its input sits (for errors).
 * Returns its id, or the row the client selected.
 */
export async function insertStarted(
  tx: Tx,
  kind: Kind,
  item: NewItem,
  event: StoredEvent,
  mode: ExtensionsMode,
  path: string,
  returning?: Returning,
): Promise<string | LoadedRow> {
  checkEstDuration(item.estDuration, `${path}.estDuration`);
  const type = (await resolveAttributeRefs(tx, kind.typeName, { [kind.typeField]: item.type }, path))[kind.typeField];
  const extensions = await validateExtensions(tx, kind.owner, item.extensions ?? {}, mode, `${path}.extensions`);
  const columns = [
    ...Object.keys(item.place),
    `${kind.table}_type_id`,
    `${kind.table}_type_name`,
    'est_duration',
    'started_at',
    'started',
    'extensions',
  ];
  const values: unknown[] = [
    ...Object.values(item.place),
    type?.id ?? null,
    type?.name ?? null,
    item.estDuration ?? null,
    event.at,
    event.fields,
    extensions,
  ];
  const placeholders = values.map((_, i) => `$${i + 1}`).join(', ');
  const { rows } = await tx.query<{ id: string; j?: LoadedRow }>(
    `WITH inserted AS (
       INSERT INTO ${kind.table} (${columns.join(', ')}) VALUES (${placeholders})
       RETURNING ${kind.eventColumns.join(', ')}, ${kind.idColumn}::text AS id${returningColumn(returning, kind.table, values)}
     ),
     ${eventCtes('inserted i JOIN service s ON s.service_id = i.service_id', itemEvent(kind, 'STARTED', 'i', 's'))}
     SELECT id${returning ? ', j' : ''} FROM inserted`,
    values,
  );
  return written(rows[0]);
}

export interface CompleteInput extends EventInput {
  disposition?: number | string | null;
  dispositionDesc?: string | null;
  /** Of a state or task: the service it must belong to, when the caller names one. */
  serviceId?: string | null;
}

/**
 * Completes a locked, active item with `event`; `path` is where its input sits (for errors).
 * Extensions sent replace those extensions; others are kept.
 */
export async function completeLocked(
  tx: Tx,
  kind: Kind,
  item: LockedItem,
  input: CompleteInput,
  event: StoredEvent,
  mode: ExtensionsMode,
  path: string,
  returning?: Returning,
): Promise<string | LoadedRow> {
  assertActive(kind, item);
  assertNotBeforeStart(item, event.at, `${path}.timestamp`);
  checkDispositionDesc(input.dispositionDesc, `${path}.dispositionDesc`);
  const { disposition } = await resolveAttributeRefs(tx, kind.typeName, { disposition: input.disposition }, path);
  const extensions = await validateExtensions(tx, kind.owner, input.extensions ?? {}, mode, `${path}.extensions`);
  const values = [item.id, event.at, event.fields, disposition ?? null, input.dispositionDesc ?? null, extensions];
  const { rows } = await tx.query<{ id: string; j?: LoadedRow }>(
    `WITH done AS (
       UPDATE ${kind.table}
          SET completed_at = $2, completed = $3, disposition = $4, disposition_desc = $5, extensions = extensions || $6::jsonb
        WHERE ${kind.idColumn} = $1
        RETURNING ${kind.eventColumns.map((c) => `${kind.table}.${c}`).join(', ')}, ${kind.idColumn}::text AS id${returningColumn(returning, kind.table, values)}
     ),
     ${eventCtes('done d JOIN service s ON s.service_id = d.service_id', itemEvent(kind, 'COMPLETED', 'd', 's'))}
     SELECT id${returning ? ', j' : ''} FROM done`,
    values,
  );
  return written(rows[0]);
}

/** Locks, checks and completes one item by id (completeService/State/Task). */
export async function completeItem(
  tx: Tx,
  kind: Kind,
  id: string,
  input: CompleteInput,
  mode: ExtensionsMode,
  idField: string,
  returning?: Returning,
): Promise<string | LoadedRow> {
  const item = await lockItem(tx, kind, id, 'UPDATE', idField);
  if (kind !== SERVICE && input.serviceId != null && item.serviceId !== input.serviceId) {
    throw notFound(`${kind.typeName} ${id} of service`, input.serviceId);
  }
  assertActive(kind, item);
  const event = await buildEvent(tx, kind.typeName, input, 'input');
  return completeLocked(tx, kind, item, input, event, mode, 'input', returning);
}
