// How a task row is read by the tree compiler.
import { type Entity, lifecycleFields } from '../tree/entity.js';

export const taskEntity: Entity = {
  typeName: 'Task',
  table: 'task',
  idColumn: 'task_id',
  idField: 'taskId',
  typeColumns: ['task_type_id', 'task_type_name'],
  fields: {
    taskId: (a) => `${a}.task_id::text`,
    serviceId: (a) => `${a}.service_id::text`,
    stateId: (a) => `${a}.state_id::text`,
    ...lifecycleFields('taskType', ['task_type_id', 'task_type_name']),
  },
  derived: { service: ['serviceId'], state: ['stateId'], extension: ['extensions'] },
  connections: {},
};
