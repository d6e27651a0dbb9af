import { ServiceNode } from '../context-tree/nodes.js';
import { definePayload } from '../tree/payload.js';

export const ServicePayloadRef = definePayload('ServicePayload', { service: ServiceNode });
