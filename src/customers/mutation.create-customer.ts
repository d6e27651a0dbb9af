import { withTransaction } from '../db/transaction.js';
import { builder } from '../graphql/builder.js';
import { CustomerPayloadRef } from './customer.payload.js';
import { createCustomer } from './customer.rules.js';

const CreateCustomerInput = builder.inputType('CreateCustomerInput', {
  fields: (t) => ({
    customerId: t.string({ description: 'The id to give the customer; a UUID is generated when omitted.' }),
    attributes: t.field({
      type: 'JSONObject',
      description: 'Core attributes: { name: "value" | ["primary", "other", ...] }, strings only.',
    }),
    extensions: t.field({
      type: 'JSONObject',
      description: '{ extensionName: object | [object] }, validated by CUSTOMER extension schemas.',
    }),
  }),
});

builder.mutationField('createCustomer', (t) =>
  t.field({
    type: CustomerPayloadRef,
    description: 'Creates a customer with a profile. An id that already exists (also one a service created) is a CONFLICT.',
    args: { input: t.arg({ type: CreateCustomerInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      customer: await withTransaction(ctx.db.pool, (tx) => createCustomer(tx, input, ctx.config.EXTENSIONS_MODE)),
    }),
  }),
);
