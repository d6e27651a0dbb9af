// CustomerPayload: what customer mutations return, read back with the client's selection
// (services included) in one statement.
import { definePayload } from '../tree/payload.js';
import { customerEntity } from './customer.entity.js';
import { CustomerRef } from './customer.type.js';

export const CustomerPayloadRef = definePayload('CustomerPayload', { customer: [CustomerRef, customerEntity] });
