// Service: a commitment to a customer, with its root fields `service` and `anonymousServices`
// and the `Customer.services` connection.
import type { ArgBuilder } from '@pothos/core';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { customerEntity } from '../customers/customer.entity.js';
import { CustomerRef } from '../customers/customer.type.js';
import { builder, type Types } from '../graphql/builder.js';
import { addLifecycleFields } from '../lifecycle/fields.js';
import { defineConnection, listArgs } from '../tree/connection-type.js';
import type { ConnectionDef } from '../tree/entity.js';
import { loadConnection, type Row, resolveLinkedObject, resolveNestedConnection } from '../tree/load.js';
import { defineLookup, type RootConnection, rootConnections } from '../tree/lookups.js';
import { serviceEntity } from './service.entity.js';

export const ServiceRef = builder.objectRef<Row>('Service');

ServiceRef.implement({
  description: 'A commitment to a customer ("book a hotel"), spanning interactions and channels.',
  interfaces: [builder.nodeInterfaceRef()],
  isTypeOf: (row) => (row as Row).$type === 'Service',
  fields: (t) => ({
    id: t.field({ type: 'ID', resolve: (r) => encodeGlobalID('Service', r.serviceId as string) }),
    serviceId: t.field({ type: 'ID', resolve: (r) => r.serviceId as string }),
    customerId: t.string({ nullable: true, resolve: (r) => r.customerId as string | null }),
    customer: t.field({
      type: CustomerRef,
      nullable: true,
      resolve: (r, _args, ctx, info) => resolveLinkedObject(r, ctx, info, customerEntity, 'customerId'),
    }),
    contactKey: t.string({ nullable: true, resolve: (r) => r.contactKey as string | null }),
    anonymous: t.boolean({ description: 'True while no customer is associated.', resolve: (r) => r.anonymous as boolean }),
  }),
});
addLifecycleFields(ServiceRef, 'serviceType');

serviceEntity.objects = {
  customer: { child: customerEntity, join: (c, s) => `${c}.customer_id = ${s}.customer_id` },
};

export const ServiceConnectionRef = defineConnection(ServiceRef, 'Service');

/** Arguments of every list of services. */
const serviceListArgs = (t: ArgBuilder<Types>) => ({
  ...listArgs(t, 'serviceTypes', 'service'),
  startedFrom: t({ type: 'DateTime', description: 'Inclusive lower bound of the start time.' }),
  startedTo: t({ type: 'DateTime', description: 'Exclusive upper bound of the start time.' }),
});

const customerServices: ConnectionDef = {
  child: serviceEntity,
  typesArg: 'serviceTypes',
  join: (s, c) => `${s}.customer_id = ${c}.customer_id`,
};
customerEntity.connections.services = customerServices;

builder.objectField(CustomerRef, 'services', (t) =>
  t.field({
    type: ServiceConnectionRef,
    description: "The customer's services (associated ones only), oldest first.",
    args: serviceListArgs(t.arg),
    resolve: (customer, args, ctx, info) => resolveNestedConnection(customer, args, ctx, info, customerEntity, customerServices),
  }),
);

defineLookup('service', ServiceRef, serviceEntity, 'serviceId', 'ID');

const anonymousServices: RootConnection = {
  def: { ...customerServices, join: () => 'TRUE' },
  scopeArg: 'contactKey',
  scope: (s, contactKey) => `${s}.contact_key = ${contactKey} AND ${s}.customer_id IS NULL`,
};
rootConnections.set('anonymousServices', anonymousServices);

builder.queryField('anonymousServices', (t) =>
  t.field({
    type: ServiceConnectionRef,
    description: 'Services with this contact key that no customer is associated with yet.',
    args: { contactKey: t.arg.string({ required: true }), ...serviceListArgs(t.arg) },
    resolve: (_root, { contactKey, ...args }, ctx, info) =>
      loadConnection(ctx, info, anonymousServices.def, args, (s, sql) => anonymousServices.scope(s, sql.param(contactKey))),
  }),
);
