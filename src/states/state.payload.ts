import { StateNode } from '../context-tree/nodes.js';
import { definePayload } from '../tree/payload.js';

export const StatePayloadRef = definePayload('StatePayload', { state: StateNode });

export const TransitionStatePayloadRef = definePayload('TransitionStatePayload', {
  completed: StateNode,
  started: StateNode,
});
