// CustomerPayload: what customer mutations return, read back with the client's selection
// (services included) in one statement.
import { builder } from '../graphql/builder.js';
import { loadById } from '../tree/load.js';
import { customerEntity } from './customer.entity.js';
import { CustomerRef } from './customer.type.js';

export const CustomerPayloadRef = builder.objectRef<{ customerId: string }>('CustomerPayload').implement({
  fields: (t) => ({
    customer: t.field({
      type: CustomerRef,
      resolve: async ({ customerId }, _args, ctx, info) => (await loadById(ctx, info, customerEntity, customerId))!,
    }),
  }),
});
