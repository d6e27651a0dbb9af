import { withTransaction } from '../db/transaction.js';
import { builder } from '../graphql/builder.js';
import type { ExtensionOwner } from './extension-owner.js';
import { ExtensionOwnerEnum } from './extension-owner.type.js';
import { deleteExtensionSchema } from './extension-schema.rules.js';

const DeleteExtensionSchemaInput = builder.inputType('DeleteExtensionSchemaInput', {
  fields: (t) => ({
    owner: t.field({ type: ExtensionOwnerEnum, required: true }),
    name: t.string({ required: true, description: 'Case-insensitive.' }),
  }),
});

interface Deleted {
  owner: ExtensionOwner;
  name: string;
  removedFrom: number;
}

const DeleteExtensionSchemaPayloadRef = builder.objectRef<Deleted>('DeleteExtensionSchemaPayload').implement({
  fields: (t) => ({
    deleted: t.boolean({ resolve: () => true }),
    owner: t.field({ type: ExtensionOwnerEnum, resolve: (d) => d.owner }),
    name: t.exposeString('name', { description: 'The name as it was created.' }),
    removedFrom: t.exposeInt('removedFrom', { description: 'How many owners held data of this extension, now removed.' }),
  }),
});

builder.mutationField('deleteExtensionSchema', (t) =>
  t.field({
    type: DeleteExtensionSchemaPayloadRef,
    description: "Deletes an extension schema and that extension's data on every owner; CONFLICT while an identification key uses it.",
    args: { input: t.arg({ type: DeleteExtensionSchemaInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      owner: input.owner,
      ...(await withTransaction(ctx.db.pool, (tx) => deleteExtensionSchema(tx, input.owner, input.name))),
    }),
  }),
);
