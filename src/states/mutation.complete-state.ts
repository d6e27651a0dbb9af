import { defineCompleteMutation } from '../lifecycle/complete-mutation.js';
import { STATE } from '../lifecycle/lifecycle.rules.js';
import { stateEntity } from './state.entity.js';
import { StatePayloadRef } from './state.payload.js';

defineCompleteMutation(STATE, stateEntity, StatePayloadRef, 'Completes a state. Its tasks are not completed with it.');
