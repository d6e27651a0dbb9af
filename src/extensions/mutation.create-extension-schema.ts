import { withTransaction } from '../db/transaction.js';
import { builder } from '../graphql/builder.js';
import { ExtensionOwnerEnum } from './extension-owner.type.js';
import { createExtensionSchema } from './extension-schema.rules.js';
import { ExtensionAttributeTypeEnum } from './extension-schema.type.js';

const ExtensionAttributeInput = builder.inputType('ExtensionAttributeInput', {
  fields: (t) => ({
    name: t.string({ required: true, description: 'Starts with a letter; letters, digits, underscores; at most 64 characters.' }),
    type: t.field({ type: ExtensionAttributeTypeEnum, required: true }),
    length: t.int({ description: 'STRING only: maximum length in characters; no limit when omitted.' }),
    mandatory: t.boolean({ description: 'Default false; unique attributes are mandatory regardless.' }),
    default: t.field({ type: 'JSON', description: 'Stored when the attribute is not sent (or sent as null); must be valid for the type.' }),
  }),
});

const CreateExtensionSchemaInput = builder.inputType('CreateExtensionSchemaInput', {
  fields: (t) => ({
    owner: t.field({ type: ExtensionOwnerEnum, required: true }),
    name: t.string({
      required: true,
      description: 'Starts with a letter; letters, digits, underscores; at most 26 characters; unique per owner kind ignoring case.',
    }),
    multiValued: t.boolean({ required: true, description: 'True: the value is an array of records keyed by `unique`.' }),
    unique: t.stringList({ description: 'Multi-valued only, and required there: the attributes that key each record.' }),
    attributes: t.field({ type: [ExtensionAttributeInput], required: true }),
  }),
});

const ExtensionSchemaPayloadRef = builder.objectRef<{ id: number }>('ExtensionSchemaPayload').implement({
  fields: (t) => ({
    extensionSchema: t.prismaField({
      type: 'ExtensionSchema',
      resolve: (query, { id }, _args, ctx) => ctx.db.prisma.extensionSchema.findUniqueOrThrow({ ...query, where: { id } }),
    }),
  }),
});

builder.mutationField('createExtensionSchema', (t) =>
  t.field({
    type: ExtensionSchemaPayloadRef,
    description: 'Declares an extension; CONFLICT when the owner kind already has one of that name in any case.',
    args: { input: t.arg({ type: CreateExtensionSchemaInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({ id: await withTransaction(ctx.db.pool, (tx) => createExtensionSchema(tx, input)) }),
  }),
);
