// BusinessAttribute: a named enumeration (e.g. MediaType: voice=1001) backing type-like fields,
// with its root field `businessAttributes`. Read through the Prisma plugin: an admin-style model
// whose values and field mappings are plain relations.
import { builder } from '../graphql/builder.js';

export const BusinessAttributeValueRef = builder.prismaObject('BusinessAttributeValue', {
  description: 'One value of a business attribute (e.g. voice = 1001).',
  select: {},
  fields: (t) => ({
    id: t.exposeInt('valueId', { description: 'The numeric id clients may send instead of the name.' }),
    name: t.exposeString('name'),
    displayName: t.exposeString('displayName', { nullable: true }),
  }),
});

export const BusinessAttributeRef = builder.prismaObject('BusinessAttribute', {
  description: 'A named enumeration (e.g. MediaType) that validates the type-like fields mapped to it.',
  select: { id: true },
  fields: (t) => ({
    id: t.exposeInt('id'),
    name: t.exposeString('name'),
    displayName: t.exposeString('displayName', { nullable: true }),
    values: t.relation('values', { query: { orderBy: { valueId: 'asc' } } }),
    fields: t.stringList({
      description: 'The fields validated by this attribute, e.g. "Service.serviceType", "State.mediaType".',
      select: { fields: { select: { field: true }, orderBy: { field: 'asc' } } },
      resolve: (attribute) => attribute.fields.map((f) => f.field),
    }),
  }),
});

builder.queryField('businessAttributes', (t) =>
  t.prismaField({
    type: [BusinessAttributeRef],
    description: 'Every business attribute, by name.',
    resolve: (query, _root, _args, ctx) => ctx.db.prisma.businessAttribute.findMany({ ...query, orderBy: { name: 'asc' } }),
  }),
);
