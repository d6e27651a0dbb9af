// CustomerPayload: what customer mutations return, read back with the client's selection
// (services included) in one statement.
import { CustomerNode } from '../context-tree/nodes.js';
import { definePayload } from '../tree/payload.js';

export const CustomerPayloadRef = definePayload('CustomerPayload', { customer: CustomerNode });
