// The lifecycle rules of tasks, as plain functions over a transaction.
import { resolveAttributeRefs } from '../business-attributes/resolve.js';
import type { Tx } from '../db/transaction.js';
import { eventCtes } from '../events/outbox.js';
import { type ExtensionsMode, validateExtensions } from '../extensions/validate.js';
import { badInput } from '../graphql/errors.js';
import { buildEvent } from '../lifecycle/event.rules.js';
import type { EventInput } from '../lifecycle/event.type.js';
import {
  assertActive,
  checkEstDuration,
  itemEvent,
  lockItem,
  lockServiceAndState,
  SERVICE,
  STATE,
  TASK,
} from '../lifecycle/lifecycle.rules.js';
import type { LoadedRow } from '../tree/load.js';
import { type Returning, returningColumn, written } from '../tree/returning.js';

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
  const [service, state] =
    input.stateId == null
      ? [await lockItem(tx, SERVICE, input.serviceId, 'SHARE', 'input.serviceId'), null]
      : await lockServiceAndState(tx, input.serviceId, input.stateId, 'SHARE', { service: 'input.serviceId', state: 'input.stateId' });
  assertActive(SERVICE, service);
  if (state) {
    if (state.serviceId !== service.id) {
      throw badInput('input.stateId', `state ${state.id} belongs to service ${state.serviceId}, not ${service.id}`);
    }
    assertActive(STATE, state);
  }
  const event = await buildEvent(tx, 'Task', input, 'input');
  const { taskType } = await resolveAttributeRefs(tx, 'Task', { taskType: input.taskType }, 'input');
  const extensions = await validateExtensions(tx, 'TASK', input.extensions ?? {}, mode, 'input.extensions');
  const values: unknown[] = [
    service.id,
    input.stateId ?? null,
    taskType?.id ?? null,
    taskType?.name ?? null,
    input.estDuration ?? null,
    event.at,
    event.fields,
    extensions,
  ];
  const { rows } = await tx.query<{ id: string; j?: LoadedRow }>(
    `WITH inserted AS (
       INSERT INTO task (service_id, state_id, task_type_id, task_type_name, est_duration, started_at, started, extensions)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       RETURNING service_id, state_id, task_id, task_id::text AS id${returningColumn(returning, 'task', values)}
     ),
     ${eventCtes('inserted i JOIN service s ON s.service_id = i.service_id', itemEvent(TASK, 'STARTED', 'i', 's'))}
     SELECT id${returning ? ', j' : ''} FROM inserted`,
    values,
  );
  return written(rows[0]);
}
