// How a customer row is read by the tree compiler.
import type { Entity } from '../tree/entity.js';

export const customerEntity: Entity = {
  typeName: 'Customer',
  table: 'customer',
  idColumn: 'customer_id',
  idField: 'customerId',
  idPattern: /^[\s\S]+$/,
  fields: {
    customerId: (a) => `${a}.customer_id`,
    attributes: (a) => `${a}.attributes`,
    extensions: (a) => `${a}.extensions`,
  },
  connections: {},
};
