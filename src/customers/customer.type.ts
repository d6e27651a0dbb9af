// Customer: a profile (attributes, extensions) keyed by the contact centre's customer id.
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { GraphQLResolveInfo } from 'graphql';
import { builder } from '../graphql/builder.js';
import type { Context } from '../graphql/context.js';
import { loadRows, type Row } from '../tree/load.js';
import { nodeLoaders } from '../tree/nodes.js';
import { customerEntity } from './customer.entity.js';

export const CustomerRef = builder.objectRef<Row>('Customer');

CustomerRef.implement({
  description: 'A customer, known by the id the contact centre gives it.',
  interfaces: [builder.nodeInterfaceRef()],
  isTypeOf: (row) => (row as Row).$type === 'Customer',
  fields: (t) => ({
    id: t.field({ type: 'ID', resolve: (r) => encodeGlobalID('Customer', r.customerId as string) }),
    customerId: t.string({ resolve: (r) => r.customerId as string }),
    attributes: t.field({
      type: 'JSONObject',
      description: 'Core profile attributes; a multi-valued attribute is an array whose first element is primary.',
      resolve: (r) => r.attributes as Record<string, unknown>,
    }),
    extensions: t.field({ type: 'JSONObject', resolve: (r) => r.extensions as Record<string, unknown> }),
  }),
});

async function loadCustomer(ctx: Context, info: GraphQLResolveInfo, customerId: string): Promise<Row | null> {
  const rows = await loadRows(ctx, info, customerEntity, (a, sql) => `${a}.customer_id = ${sql.param(customerId)}`);
  return rows[0] ?? null;
}

nodeLoaders.set('Customer', (id, ctx, info) => loadCustomer(ctx, info, id));

builder.queryField('customer', (t) =>
  t.field({
    type: CustomerRef,
    nullable: true,
    description: 'A customer by id; null when unknown.',
    args: { customerId: t.arg.string({ required: true }) },
    resolve: (_root, { customerId }, ctx, info) => loadCustomer(ctx, info, customerId),
  }),
);
