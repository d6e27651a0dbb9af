import { TaskNode } from '../context-tree/nodes.js';
import { builder } from '../graphql/builder.js';
import { write } from '../graphql/write.js';
import { eventInputFields } from '../lifecycle/event.type.js';
import { treeWrite } from '../tree/payload.js';
import { TaskPayloadRef } from './task.payload.js';
import { type StartTaskInput, startTask } from './task.rules.js';

const StartTaskInputRef = builder.inputType('StartTaskInput', {
  fields: (t) => ({
    serviceId: t.id({ required: true }),
    stateId: t.id({ description: 'An active state of the same service; omit for a task directly in the service.' }),
    taskType: t.field({ type: 'AttributeRef' }),
    estDuration: t.int({ description: 'Estimated duration in seconds.' }),
    ...eventInputFields(t),
  }),
});

builder.mutationField('startTask', (t) =>
  t.field({
    type: TaskPayloadRef,
    description: 'Starts a task on an active service, optionally inside one of its active states.',
    args: { input: t.arg({ type: StartTaskInputRef, required: true }) },
    ...treeWrite({ task: TaskNode }, async (ctx, { input }: { input: StartTaskInput }, returning) => ({
      task: await write(ctx, (tx, mode) => startTask(tx, input, mode, returning.task)),
    })),
  }),
);
