// The lifecycle rules of states, as plain functions over a transaction.
import { resolveAttributeRefs } from '../business-attributes/resolve.js';
import type { Tx } from '../db/transaction.js';
import { eventCtes } from '../events/outbox.js';
import { type ExtensionsMode, schemaGuard, validateExtensionsCached } from '../extensions/validate.js';
import { badInput } from '../graphql/errors.js';
import { buildEvent } from '../lifecycle/event.rules.js';
import type { EventInput } from '../lifecycle/event.type.js';
import {
  assertActive,
  type CompleteInput,
  checkDispositionDesc,
  checkEstDuration,
  checkId,
  completeLocked,
  insertStarted,
  itemEvent,
  lockActiveServiceAndState,
  lockServiceAndState,
  SERVICE,
  STATE,
  TASK,
} from '../lifecycle/lifecycle.rules.js';
import type { LoadedRow } from '../tree/load.js';
import { type Returning, returningColumn, written } from '../tree/returning.js';

export interface StartStateInput extends EventInput {
  serviceId: string;
  stateType?: number | string | null;
  previousStateId?: string | null;
  estDuration?: number | null;
}

/** Starts a state on an active service. */
export async function startState(tx: Tx, input: StartStateInput, mode: ExtensionsMode, returning?: Returning): Promise<string | LoadedRow> {
  const [service] = await lockActiveServiceAndState(tx, input.serviceId, input.previousStateId, {
    service: 'input.serviceId',
    state: 'input.previousStateId',
  });
  const event = await buildEvent(tx, 'State', input, 'input');
  const place = { service_id: service.id, previous_state_id: input.previousStateId ?? null };
  return insertStarted(
    tx,
    STATE,
    { place, type: input.stateType, estDuration: input.estDuration, extensions: input.extensions },
    event,
    mode,
    'input',
    returning,
  );
}

export interface TransitionStateInput extends Omit<EventInput, 'extensions'> {
  serviceId: string;
  from: CompleteInput & { stateId: string };
  to: { stateType?: number | string | null; estDuration?: number | null; extensions?: Record<string, unknown> | null };
  completeOpenTasks?: boolean | null;
}

/**
 * Completes one active state of the service and starts its successor in one step: the shared
 * event fields go to both, the new state's previousStateId is the completed one. Two concurrent
 * transitions from the same state serialise on its row lock; the second finds it completed.
 */
export async function transitionState(
  tx: Tx,
  input: TransitionStateInput,
  mode: ExtensionsMode,
  returning: { completed?: Returning; started?: Returning } = {},
): Promise<{ completed: string | LoadedRow; started: string | LoadedRow }> {
  const [service, from] = await lockServiceAndState(tx, input.serviceId, input.from.stateId, 'UPDATE', {
    service: 'input.serviceId',
    state: 'input.from.stateId',
  });
  if (from.serviceId !== service.id) {
    throw badInput('input.from.stateId', `state ${from.id} belongs to service ${from.serviceId}, not ${service.id}`);
  }
  assertActive(STATE, from);
  assertActive(SERVICE, service);
  const event = await buildEvent(tx, 'State', input, 'input');
  const completed = await completeLocked(tx, STATE, from, input.from, event, mode, 'input.from', returning.completed);
  if (input.completeOpenTasks) {
    await tx.query(
      `WITH done AS (
         UPDATE task SET completed_at = $2, completed = $3
          WHERE state_id = $1 AND completed_at IS NULL AND started_at <= $2
          RETURNING service_id, state_id, task_id
       ),
       ${eventCtes('done d JOIN service s ON s.service_id = d.service_id', itemEvent(TASK, 'COMPLETED', 'd', 's'))}
       SELECT FROM done`,
      [from.id, event.at, event.fields],
    );
    const { rows } = await tx.query<{ task_id: string }>(
      'SELECT task_id::text FROM task WHERE state_id = $1 AND completed_at IS NULL LIMIT 1',
      [from.id],
    );
    if (rows[0]) {
      throw badInput('input.timestamp', `task ${rows[0].task_id} of state ${from.id} started after the transition time`);
    }
  }
  const { to } = input;
  const place = { service_id: service.id, previous_state_id: from.id };
  const started = await insertStarted(
    tx,
    STATE,
    { place, type: to.stateType, estDuration: to.estDuration, extensions: to.extensions },
    event,
    mode,
    'input.to',
    returning.started,
  );
  return { completed, started };
}

/**
 * transitionState in ONE statement, for the common case (no completeOpenTasks): the service is
 * share-locked, the state completed only if it is active, in that service and started before
 * the event, its successor inserted, and the extension schemas held (schemaGuard). It reports
 * nothing itself: null when any condition fails, and the transaction above explains why.
 * The events are routed by the service row as locked: a statement that waited for the lock sees
 * the row as the write it waited for left it (an association), where a plain read of service
 * would still see the row as it was when the statement began.
 */
export async function transitionStateAtOnce(
  tx: Tx,
  input: TransitionStateInput,
  mode: ExtensionsMode,
  returning: { completed?: Returning; started?: Returning } = {},
): Promise<{ completed: string | LoadedRow; started: string | LoadedRow } | null> {
  if (input.completeOpenTasks) return null;
  const { from, to } = input;
  checkId(SERVICE, input.serviceId, 'input.serviceId');
  checkId(STATE, from.stateId, 'input.from.stateId');
  checkDispositionDesc(from.dispositionDesc, 'input.from.dispositionDesc');
  checkEstDuration(to.estDuration, 'input.to.estDuration');
  const event = await buildEvent(tx, 'State', input, 'input');
  const { disposition } = await resolveAttributeRefs(tx, 'State', { disposition: from.disposition }, 'input.from');
  const { stateType } = await resolveAttributeRefs(tx, 'State', { stateType: to.stateType }, 'input.to');
  const completedExtensions = await validateExtensionsCached(tx, 'STATE', from.extensions ?? {}, mode, 'input.from.extensions');
  const startedExtensions = await validateExtensionsCached(tx, 'STATE', to.extensions ?? {}, mode, 'input.to.extensions');
  const values: unknown[] = [
    input.serviceId,
    from.stateId,
    event.at,
    event.fields,
    disposition ?? null,
    from.dispositionDesc ?? null,
    completedExtensions.stored,
    stateType?.id ?? null,
    stateType?.name ?? null,
    to.estDuration ?? null,
    startedExtensions.stored,
  ];
  const guard = schemaGuard([...completedExtensions.schemaIds, ...startedExtensions.schemaIds], values);
  const { rows } = await tx.query<{ completed_id: string; completed_j?: LoadedRow; started_id: string; started_j?: LoadedRow }>(
    `WITH guard AS (SELECT ${guard} AS ok),
     active_service AS (SELECT service_id, customer_id, contact_key FROM service WHERE service_id = $1 AND completed_at IS NULL FOR SHARE),
     done AS (
       UPDATE state
          SET completed_at = $3, completed = $4, disposition = $5, disposition_desc = $6, extensions = extensions || $7::jsonb
        WHERE state_id = $2 AND service_id = (SELECT service_id FROM active_service) AND completed_at IS NULL AND started_at <= $3
          AND (SELECT ok FROM guard)
       RETURNING state.state_id, state.service_id, state.state_id::text AS id${returningColumn(returning.completed, 'state', values)}
     ),
     started AS (
       INSERT INTO state (service_id, state_type_id, state_type_name, previous_state_id, est_duration, started_at, started, extensions)
       SELECT service_id, $8::int, $9::text, state_id, $10::int, $3, $4, $11::jsonb FROM done
       RETURNING state_id, state_id::text AS id${returningColumn(returning.started, 'state', values)}
     ),
     ${eventCtes(
       'done d CROSS JOIN started n CROSS JOIN active_service s',
       itemEvent(STATE, 'COMPLETED', 'd', 's'),
       itemEvent(STATE, 'STARTED', 'n', 's'),
     )}
     SELECT d.id AS completed_id, ${returning.completed ? 'd.j' : 'NULL'} AS completed_j,
            s.id AS started_id, ${returning.started ? 's.j' : 'NULL'} AS started_j
       FROM done d, started s`,
    values,
  );
  const row = rows[0];
  if (!row) return null;
  return {
    completed: written({ id: row.completed_id, j: row.completed_j ?? undefined }),
    started: written({ id: row.started_id, j: row.started_j ?? undefined }),
  };
}
