// The lifecycle rules of tasks, as plain functions over a transaction.
import type { Tx } from '../db/transaction.js';
import type { ExtensionsMode } from '../extensions/validate.js';
import { buildEvent } from '../lifecycle/event.rules.js';
import type { EventInput } from '../lifecycle/event.type.js';
import { assertActive, checkEstDuration, insertStarted, lockActiveServiceAndState, STATE, TASK } from '../lifecycle/lifecycle.rules.js';
import type { LoadedRow } from '../tree/load.js';
import type { Returning } from '../tree/returning.js';

export interface StartTaskInput extends EventInput {
  serviceId: string;
  stateId?: string | null;
  taskType?: number | string | null;
  estDuration?: number | null;
}

/**
 * Starts a task on an active service, optionally inside one of its states. A completed state
 * takes no new task either (decided: the same rule as for a completed service). Returns the
 * task's id, or the row the client selected.
 */
export async function startTask(tx: Tx, input: StartTaskInput, mode: ExtensionsMode, returning?: Returning): Promise<string | LoadedRow> {
  checkEstDuration(input.estDuration, 'input.estDuration');
  const [service, state] = await lockActiveServiceAndState(tx, input.serviceId, input.stateId, {
    service: 'input.serviceId',
    state: 'input.stateId',
  });
  if (state) assertActive(STATE, state);
  const event = await buildEvent(tx, 'Task', input, 'input');
  const place = { service_id: service.id, state_id: input.stateId ?? null };
  return insertStarted(
    tx,
    TASK,
    { place, type: input.taskType, estDuration: input.estDuration, extensions: input.extensions },
    event,
    mode,
    'input',
    returning,
  );
}
