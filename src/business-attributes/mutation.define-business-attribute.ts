import { withTransaction } from '../db/transaction.js';
import { builder } from '../graphql/builder.js';
import { defineBusinessAttribute } from './business-attribute.rules.js';
import { BusinessAttributeRef } from './business-attribute.type.js';

const BusinessValueInput = builder.inputType('BusinessValueInput', {
  fields: (t) => ({
    id: t.int({ required: true }),
    name: t.string({ required: true }),
    displayName: t.string(),
  }),
});

const DefineBusinessAttributeInput = builder.inputType('DefineBusinessAttributeInput', {
  fields: (t) => ({
    name: t.string({ required: true, description: 'Letters, digits and _, starting with a letter; at most 64 characters.' }),
    displayName: t.string({ description: 'Kept from the previous definition when omitted.' }),
    fields: t.stringList({
      description:
        'Fields this attribute validates, e.g. "Service.serviceType", "State.mediaType"; replaces the previous mapping when given, kept when omitted. A field mapped to another attribute is a CONFLICT.',
    }),
    values: t.field({
      type: [BusinessValueInput],
      required: true,
      description: "Replaces all of the attribute's values. Ids and names are unique within the attribute.",
    }),
  }),
});

const BusinessAttributePayloadRef = builder.objectRef<{ attributeId: number }>('BusinessAttributePayload').implement({
  fields: (t) => ({
    businessAttribute: t.prismaField({
      type: BusinessAttributeRef,
      resolve: (query, { attributeId }, _args, ctx) =>
        ctx.db.prisma.businessAttribute.findUniqueOrThrow({ ...query, where: { id: attributeId } }),
    }),
  }),
});

builder.mutationField('defineBusinessAttribute', (t) =>
  t.field({
    type: BusinessAttributePayloadRef,
    description: "Creates a business attribute or replaces an existing one's values (and field mappings when given).",
    args: { input: t.arg({ type: DefineBusinessAttributeInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      attributeId: await withTransaction(ctx.db.pool, (tx) => defineBusinessAttribute(tx, input)),
    }),
  }),
);
