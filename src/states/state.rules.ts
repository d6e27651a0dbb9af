// The lifecycle rules of states, as plain functions over a transaction.
import { resolveAttributeRefs } from '../business-attributes/resolve.js';
import type { Tx } from '../db/transaction.js';
import { validateExtensions, type ExtensionsMode } from '../extensions/validate.js';
import { badInput } from '../graphql/errors.js';
import { buildEvent, type StoredEvent } from '../lifecycle/event.rules.js';
import type { EventInput } from '../lifecycle/event.type.js';
import {
  assertActive,
  checkEstDuration,
  completeLocked,
  lockItem,
  lockServiceAndState,
  SERVICE,
  STATE,
  type CompleteInput,
} from '../lifecycle/lifecycle.rules.js';

export interface StartStateInput extends EventInput {
  serviceId: string;
  stateType?: number | string | null;
  previousStateId?: string | null;
  estDuration?: number | null;
}

interface NewState {
  serviceId: string;
  stateType?: number | string | null;
  previousStateId?: string | null;
  estDuration?: number | null;
  extensions?: Record<string, unknown> | null;
}

/** Inserts a state under a service already locked and checked active; returns its id. */
async function insertState(tx: Tx, state: NewState, event: StoredEvent, mode: ExtensionsMode, path: string): Promise<string> {
  checkEstDuration(state.estDuration, `${path}.estDuration`);
  const { stateType } = await resolveAttributeRefs(tx, 'State', { stateType: state.stateType }, path);
  const extensions = await validateExtensions(tx, 'STATE', state.extensions ?? {}, mode, `${path}.extensions`);
  const { rows } = await tx.query<{ state_id: string }>(
    `INSERT INTO state (service_id, state_type_id, state_type_name, previous_state_id, est_duration, started_at, started, extensions)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING state_id`,
    [
      state.serviceId,
      stateType?.id ?? null,
      stateType?.name ?? null,
      state.previousStateId ?? null,
      state.estDuration ?? null,
      event.at,
      event.fields,
      extensions,
    ],
  );
  return rows[0].state_id;
}

/** Starts a state on an active service. */
export async function startState(tx: Tx, input: StartStateInput, mode: ExtensionsMode): Promise<string> {
  const [service, previous] =
    input.previousStateId == null
      ? [await lockItem(tx, SERVICE, input.serviceId, 'SHARE', 'input.serviceId'), null]
      : await lockServiceAndState(tx, input.serviceId, input.previousStateId, 'SHARE', {
          service: 'input.serviceId',
          state: 'input.previousStateId',
        });
  assertActive(SERVICE, service);
  if (previous) {
    if (previous.serviceId !== service.id) {
      throw badInput('input.previousStateId', `state ${previous.id} belongs to service ${previous.serviceId}, not ${service.id}`);
    }
  }
  const event = await buildEvent(tx, 'State', input, 'input');
  return insertState(tx, input, event, mode, 'input');
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
): Promise<{ completed: string; started: string }> {
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
  await completeLocked(tx, STATE, from, input.from, event, mode, 'input.from');
  if (input.completeOpenTasks) {
    await tx.query(
      `UPDATE task SET completed_at = $2, completed = $3
        WHERE state_id = $1 AND completed_at IS NULL AND started_at <= $2`,
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
  const started = await insertState(
    tx,
    { ...input.to, serviceId: service.id, previousStateId: from.id },
    event,
    mode,
    'input.to',
  );
  return { completed: from.id, started };
}

