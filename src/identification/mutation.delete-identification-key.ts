import { withTransaction } from '../db/transaction.js';
import { builder } from '../graphql/builder.js';
import { deleteIdentificationKey } from './identification-key.rules.js';

const DeleteIdentificationKeyInput = builder.inputType('DeleteIdentificationKeyInput', {
  fields: (t) => ({ name: t.string({ required: true }) }),
});

const DeleteIdentificationKeyPayloadRef = builder.objectRef<{ name: string }>('DeleteIdentificationKeyPayload').implement({
  fields: (t) => ({
    deleted: t.boolean({ resolve: () => true }),
    name: t.exposeString('name'),
  }),
});

builder.mutationField('deleteIdentificationKey', (t) =>
  t.field({
    type: DeleteIdentificationKeyPayloadRef,
    description: 'Deletes an identification key; NOT_FOUND when there is none of that name. Customer writes wait until it is done.',
    args: { input: t.arg({ type: DeleteIdentificationKeyInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      await withTransaction(ctx.db.pool, (tx) => deleteIdentificationKey(tx, input.name));
      return { name: input.name };
    },
  }),
);
