// Customer: a profile (attributes, extensions) keyed by the contact centre's customer id.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../graphql/builder.js';
import type { Row } from '../tree/load.js';
import { defineLookup } from '../tree/lookups.js';
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

defineLookup('customer', CustomerRef, customerEntity, 'customerId', 'String');
