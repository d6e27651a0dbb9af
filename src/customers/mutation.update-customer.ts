import { withTransaction } from '../db/transaction.js';
import { builder } from '../graphql/builder.js';
import { CustomerPayloadRef } from './customer.payload.js';
import { updateCustomer } from './customer.rules.js';

const UpdateCustomerInput = builder.inputType('UpdateCustomerInput', {
  fields: (t) => ({
    customerId: t.string({ required: true }),
    attributes: t.field({ type: 'JSONObject', description: 'When given, replaces all core attributes.' }),
    extensions: t.field({ type: 'JSONObject', description: 'Each extension sent replaces that extension; the others are kept.' }),
  }),
});

builder.mutationField('updateCustomer', (t) =>
  t.field({
    type: CustomerPayloadRef,
    description: "Updates a customer's profile; an unknown customer is NOT_FOUND.",
    args: { input: t.arg({ type: UpdateCustomerInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      customer: await withTransaction(ctx.db.pool, (tx) => updateCustomer(tx, input, ctx.config.EXTENSIONS_MODE)),
    }),
  }),
);
