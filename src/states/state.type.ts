// State: a phase of a service, with its root field `state` and the `Service.states` connection.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../graphql/builder.js';
import { addLifecycleFields } from '../lifecycle/fields.js';
import { serviceEntity } from '../services/service.entity.js';
import { ServiceRef } from '../services/service.type.js';
import { defineConnection, listArgs } from '../tree/connection-type.js';
import type { ConnectionDef } from '../tree/entity.js';
import { type Row, resolveLinkedObject, resolveNestedConnection } from '../tree/load.js';
import { defineLookup } from '../tree/lookups.js';
import { stateEntity } from './state.entity.js';

export const StateRef = builder.objectRef<Row>('State');

StateRef.implement({
  description: 'A phase of a service; several may be active at once.',
  interfaces: [builder.nodeInterfaceRef()],
  isTypeOf: (row) => (row as Row).$type === 'State',
  fields: (t) => ({
    id: t.field({ type: 'ID', resolve: (r) => encodeGlobalID('State', r.stateId as string) }),
    stateId: t.field({ type: 'ID', resolve: (r) => r.stateId as string }),
    serviceId: t.field({ type: 'ID', resolve: (r) => r.serviceId as string }),
    service: t.field({
      type: ServiceRef,
      resolve: async (r, _args, ctx, info) => (await resolveLinkedObject(r, ctx, info, serviceEntity, 'serviceId'))!,
    }),
    previousStateId: t.field({
      type: 'ID',
      nullable: true,
      description: 'The state this one followed (set by transitionState or startState).',
      resolve: (r) => r.previousStateId as string | null,
    }),
  }),
});
addLifecycleFields(StateRef, 'stateType');

stateEntity.objects = {
  service: { child: serviceEntity, join: (s, st) => `${s}.service_id = ${st}.service_id` },
};

export const StateConnectionRef = defineConnection(StateRef, 'State');

const serviceStates: ConnectionDef = {
  child: stateEntity,
  typesArg: 'stateTypes',
  join: (st, s) => `${st}.service_id = ${s}.service_id`,
};
serviceEntity.connections.states = serviceStates;

builder.objectField(ServiceRef, 'states', (t) =>
  t.field({
    type: StateConnectionRef,
    description: "The service's states, oldest first.",
    args: listArgs(t.arg, 'stateTypes', 'state'),
    resolve: (service, args, ctx, info) => resolveNestedConnection(service, args, ctx, info, serviceEntity, serviceStates),
  }),
);

defineLookup('state', StateRef, stateEntity, 'stateId', 'ID');
