import { builder } from '../graphql/builder.js';
import { completeInputFields } from '../lifecycle/event.type.js';
import { write } from '../lifecycle/write.js';
import { TaskPayloadRef } from './task.payload.js';
import { completeTask } from './task.rules.js';

const CompleteTaskInput = builder.inputType('CompleteTaskInput', {
  fields: (t) => ({ taskId: t.id({ required: true }), ...completeInputFields(t) }),
});

builder.mutationField('completeTask', (t) =>
  t.field({
    type: TaskPayloadRef,
    description: 'Completes a task.',
    args: { input: t.arg({ type: CompleteTaskInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      await write(ctx, (tx, mode) => completeTask(tx, input, mode));
      return { task: input.taskId };
    },
  }),
);
