// How a service row is read by the tree compiler.
import { type Entity, lifecycleFields } from '../tree/entity.js';

export const serviceEntity: Entity = {
  typeName: 'Service',
  table: 'service',
  idColumn: 'service_id',
  idField: 'serviceId',
  typeColumns: ['service_type_id', 'service_type_name'],
  fields: {
    serviceId: (a) => `${a}.service_id::text`,
    customerId: (a) => `${a}.customer_id`,
    contactKey: (a) => `${a}.contact_key`,
    anonymous: (a) => `${a}.customer_id IS NULL`,
    ...lifecycleFields('serviceType', ['service_type_id', 'service_type_name']),
  },
  derived: { customer: ['customerId'], extension: ['extensions'] },
  connections: {},
};
