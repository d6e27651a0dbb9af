import { StateNode } from '../context-tree/nodes.js';
import { write } from '../graphql/write.js';
import { defineItemMutation, startInputFields } from '../lifecycle/item-mutation.js';
import { STATE } from '../lifecycle/lifecycle.rules.js';
import { StatePayloadRef } from './state.payload.js';
import { type StartStateInput, startState } from './state.rules.js';

defineItemMutation<StartStateInput>('startState', {
  kind: STATE,
  node: StateNode,
  payload: StatePayloadRef,
  description: 'Starts a state on an active service.',
  fields: (t) => ({
    serviceId: t.id({ required: true }),
    previousStateId: t.id({ description: 'A state of the same service this one follows.' }),
    ...startInputFields(t, STATE),
  }),
  run: (ctx, input, returning) => write(ctx, (tx, mode) => startState(tx, input, mode, returning)),
});
