import { StateNode } from '../context-tree/nodes.js';
import { builder } from '../graphql/builder.js';
import { write } from '../graphql/write.js';
import { eventInputFields } from '../lifecycle/event.type.js';
import { treeWrite } from '../tree/payload.js';
import { StatePayloadRef } from './state.payload.js';
import { type StartStateInput, startState } from './state.rules.js';

const StartStateInputRef = builder.inputType('StartStateInput', {
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
    args: { input: t.arg({ type: StartStateInputRef, required: true }) },
    ...treeWrite({ state: StateNode }, async (ctx, { input }: { input: StartStateInput }, returning) => ({
      state: await write(ctx, (tx, mode) => startState(tx, input, mode, returning.state)),
    })),
  }),
);
