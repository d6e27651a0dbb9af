import { ServiceNode } from '../context-tree/nodes.js';
import { defineCompleteMutation } from '../lifecycle/item-mutation.js';
import { SERVICE } from '../lifecycle/lifecycle.rules.js';
import { ServicePayloadRef } from './service.payload.js';

defineCompleteMutation(SERVICE, ServiceNode, ServicePayloadRef, 'Completes a service. Its states and tasks are not completed with it.');
