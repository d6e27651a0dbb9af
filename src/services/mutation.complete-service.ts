import { defineCompleteMutation } from '../lifecycle/complete-mutation.js';
import { SERVICE } from '../lifecycle/lifecycle.rules.js';
import { serviceEntity } from './service.entity.js';
import { ServicePayloadRef } from './service.payload.js';

defineCompleteMutation(SERVICE, serviceEntity, ServicePayloadRef, 'Completes a service. Its states and tasks are not completed with it.');
