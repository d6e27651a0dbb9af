import { builder } from '../graphql/builder.js';
import { eventInputFields } from '../lifecycle/event.type.js';
import { write } from '../lifecycle/write.js';
import { returningFor } from '../tree/returning.js';
import { stateEntity } from './state.entity.js';
import { StatePayloadRef } from './state.payload.js';
import { startState } from './state.rules.js';

const StartStateInput = builder.inputType('StartStateInput', {
  fields: (t) => ({
    serviceId: t.id({ required: true }),
    stateType: t.field({ type: 'AttributeRef' }),
    previousStateId: t.id({ description: 'A state of the same service this one follows.' }),
    estDuration: t.int({ description: 'Estimated duration in seconds.' }),
    ...eventInputFields(t),
  }),
});

builder.mutationField('startState', (t) =>
  t.field({
    type: StatePayloadRef,
    description: 'Starts a state on an active service.',
    args: { input: t.arg({ type: StartStateInput, required: true }) },
    resolve: async (_root, { input }, ctx, info) => {
      const returning = returningFor(info, 'state', stateEntity);
      return { state: await write(ctx, (tx, mode) => startState(tx, input, mode, returning)) };
    },
  }),
);
