import { builder } from '../graphql/builder.js';
import { completeInputFields } from '../lifecycle/event.type.js';
import { write } from '../lifecycle/write.js';
import { StatePayloadRef } from './state.payload.js';
import { completeState } from './state.rules.js';

const CompleteStateInput = builder.inputType('CompleteStateInput', {
  fields: (t) => ({ stateId: t.id({ required: true }), ...completeInputFields(t) }),
});

builder.mutationField('completeState', (t) =>
  t.field({
    type: StatePayloadRef,
    description: 'Completes a state. Its tasks are not completed with it.',
    args: { input: t.arg({ type: CompleteStateInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      await write(ctx, (tx, mode) => completeState(tx, input, mode));
      return { state: input.stateId };
    },
  }),
);
