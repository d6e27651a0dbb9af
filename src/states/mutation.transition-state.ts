import { StateNode } from '../context-tree/nodes.js';
import { builder } from '../graphql/builder.js';
import { writeFastOrSlow } from '../graphql/write.js';
import { eventInputFields } from '../lifecycle/event.type.js';
import { treeWrite } from '../tree/payload.js';
import { TransitionStatePayloadRef } from './state.payload.js';
import { type TransitionStateInput, transitionState, transitionStateAtOnce } from './state.rules.js';

const TransitionFromInput = builder.inputType('TransitionFromInput', {
  description: 'The active state to complete.',
  fields: (t) => ({
    stateId: t.id({ required: true }),
    disposition: t.field({ type: 'AttributeRef' }),
    dispositionDesc: t.string(),
    extensions: t.field({ type: 'JSONObject', description: 'Extensions of the completed state; each replaces its previous value.' }),
  }),
});

const TransitionToInput = builder.inputType('TransitionToInput', {
  description: 'The state to start.',
  fields: (t) => ({
    stateType: t.field({ type: 'AttributeRef' }),
    estDuration: t.int({ description: 'Estimated duration in seconds.' }),
    extensions: t.field({ type: 'JSONObject', description: 'Extensions of the new state.' }),
  }),
});

const TransitionStateInputRef = builder.inputType('TransitionStateInput', {
  fields: (t) => {
    // Extensions belong to one side of a transition; the shared event fields go to both.
    const { extensions: _perSide, ...eventFields } = eventInputFields(t);
    return {
      serviceId: t.id({ required: true }),
      from: t.field({ type: TransitionFromInput, required: true }),
      to: t.field({ type: TransitionToInput, required: true }),
      completeOpenTasks: t.boolean({
        defaultValue: false,
        description: 'Also complete the active tasks of the `from` state, with the same event.',
      }),
      ...eventFields,
    };
  },
});

builder.mutationField('transitionState', (t) =>
  t.field({
    type: TransitionStatePayloadRef,
    description: 'Completes one active state of the service and starts the next in one atomic step.',
    args: { input: t.arg({ type: TransitionStateInputRef, required: true }) },
    ...treeWrite({ completed: StateNode, started: StateNode }, (ctx, { input }: { input: TransitionStateInput }, returning) =>
      writeFastOrSlow(
        ctx,
        (tx, mode) => transitionStateAtOnce(tx, input, mode, returning),
        (tx, mode) => transitionState(tx, input, mode, returning),
      ),
    ),
  }),
);
