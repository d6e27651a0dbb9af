// How a state row is read by the tree compiler.
import { type Entity, lifecycleFields } from '../tree/entity.js';

export const stateEntity: Entity = {
  typeName: 'State',
  table: 'state',
  idColumn: 'state_id',
  idField: 'stateId',
  typeColumns: ['state_type_id', 'state_type_name'],
  fields: {
    stateId: (a) => `${a}.state_id::text`,
    serviceId: (a) => `${a}.service_id::text`,
    previousStateId: (a) => `${a}.previous_state_id::text`,
    ...lifecycleFields('stateType', ['state_type_id', 'state_type_name']),
  },
  derived: { service: ['serviceId'], extension: ['extensions'] },
  connections: {},
};
