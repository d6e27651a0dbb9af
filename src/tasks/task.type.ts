// Task: a step inside a state or directly inside a service, with its root field `task` and the
// `Service.tasks` and `State.tasks` connections.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../graphql/builder.js';
import { addLifecycleFields } from '../lifecycle/fields.js';
import { serviceEntity } from '../services/service.entity.js';
import { ServiceRef } from '../services/service.type.js';
import { stateEntity } from '../states/state.entity.js';
import { StateRef } from '../states/state.type.js';
import { defineConnection, listArgs } from '../tree/connection-type.js';
import type { ConnectionDef, Entity } from '../tree/entity.js';
import { type Row, resolveLinkedObject, resolveNestedConnection } from '../tree/load.js';
import { defineLookup } from '../tree/lookups.js';
import { taskEntity } from './task.entity.js';

export const TaskRef = builder.objectRef<Row>('Task');

TaskRef.implement({
  description: 'A step inside a state, or directly inside a service.',
  interfaces: [builder.nodeInterfaceRef()],
  isTypeOf: (row) => (row as Row).$type === 'Task',
  fields: (t) => ({
    id: t.field({ type: 'ID', resolve: (r) => encodeGlobalID('Task', r.taskId as string) }),
    taskId: t.field({ type: 'ID', resolve: (r) => r.taskId as string }),
    serviceId: t.field({ type: 'ID', resolve: (r) => r.serviceId as string }),
    service: t.field({
      type: ServiceRef,
      resolve: async (r, _args, ctx, info) => (await resolveLinkedObject(r, ctx, info, serviceEntity, 'serviceId'))!,
    }),
    stateId: t.field({ type: 'ID', nullable: true, resolve: (r) => r.stateId as string | null }),
    state: t.field({
      type: StateRef,
      nullable: true,
      resolve: (r, _args, ctx, info) => resolveLinkedObject(r, ctx, info, stateEntity, 'stateId'),
    }),
  }),
});
addLifecycleFields(TaskRef, 'taskType');

taskEntity.objects = {
  service: { child: serviceEntity, join: (s, t) => `${s}.service_id = ${t}.service_id` },
  state: { child: stateEntity, join: (st, t) => `${st}.state_id = ${t}.state_id` },
};

export const TaskConnectionRef = defineConnection(TaskRef, 'Task');

/** Adds a `tasks` connection to Service or State, tied to the parent by `parentColumn`. */
function addTasksConnection(parentRef: typeof ServiceRef, parentEntity: Entity, parentColumn: string, description: string) {
  const def: ConnectionDef = {
    child: taskEntity,
    typesArg: 'taskTypes',
    join: (task, parent) => `${task}.${parentColumn} = ${parent}.${parentColumn}`,
  };
  parentEntity.connections.tasks = def;
  builder.objectField(parentRef, 'tasks', (t) =>
    t.field({
      type: TaskConnectionRef,
      description,
      args: listArgs(t.arg, 'taskTypes', 'task'),
      resolve: (parent, args, ctx, info) => resolveNestedConnection(parent, args, ctx, info, parentEntity, def),
    }),
  );
}

addTasksConnection(ServiceRef, serviceEntity, 'service_id', "All the service's tasks (in states or not), oldest first.");
addTasksConnection(StateRef, stateEntity, 'state_id', "The state's tasks, oldest first.");

defineLookup('task', TaskRef, taskEntity, 'taskId', 'ID');
