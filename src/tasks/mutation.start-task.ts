import { TaskNode } from '../context-tree/nodes.js';
import { write } from '../graphql/write.js';
import { defineItemMutation, startInputFields } from '../lifecycle/item-mutation.js';
import { TASK } from '../lifecycle/lifecycle.rules.js';
import { TaskPayloadRef } from './task.payload.js';
import { type StartTaskInput, startTask } from './task.rules.js';

defineItemMutation<StartTaskInput>('startTask', {
  kind: TASK,
  node: TaskNode,
  payload: TaskPayloadRef,
  description: 'Starts a task on an active service, optionally inside one of its active states.',
  fields: (t) => ({
    serviceId: t.id({ required: true }),
    stateId: t.id({ description: 'An active state of the same service; omit for a task directly in the service.' }),
    ...startInputFields(t, TASK),
  }),
  run: (ctx, input, returning) => write(ctx, (tx, mode) => startTask(tx, input, mode, returning)),
});
