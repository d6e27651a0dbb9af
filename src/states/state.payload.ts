import { definePayload } from '../tree/payload.js';
import { stateEntity } from './state.entity.js';
import { StateRef } from './state.type.js';

export const StatePayloadRef = definePayload('StatePayload', { state: [StateRef, stateEntity] });

export const TransitionStatePayloadRef = definePayload('TransitionStatePayload', {
  completed: [StateRef, stateEntity],
  started: [StateRef, stateEntity],
});
