import { StateNode } from '../context-tree/nodes.js';
import { defineCompleteMutation } from '../lifecycle/item-mutation.js';
import { STATE } from '../lifecycle/lifecycle.rules.js';
import { StatePayloadRef } from './state.payload.js';

defineCompleteMutation(STATE, StateNode, StatePayloadRef, 'Completes a state. Its tasks are not completed with it.');
