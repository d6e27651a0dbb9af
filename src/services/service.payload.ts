import { definePayload } from '../tree/payload.js';
import { serviceEntity } from './service.entity.js';
import { ServiceRef } from './service.type.js';

export const ServicePayloadRef = definePayload('ServicePayload', { service: [ServiceRef, serviceEntity] });
