// ExtensionSchema (with ExtensionAttribute and ExtensionAttributeType), read through Prisma, and
// its root fields `extensionSchemas` and `extensionSchema`.
import { ExtensionAttributeType } from '../generated/prisma/enums.js';
import { builder } from '../graphql/builder.js';
import type { AttributeDef } from './attribute-types.js';
import { ExtensionOwnerEnum } from './extension-owner.type.js';

export const ExtensionAttributeTypeEnum = builder.enumType(ExtensionAttributeType, {
  name: 'ExtensionAttributeType',
  description:
    'STRING (optional max length), INTEGER (32-bit), LONG (integer within ±(2^53-1)), DOUBLE (finite number), ' +
    'DATE (YYYY-MM-DD), DATETIME (ISO-8601 with Z or an offset, stored in UTC), ' +
    'CURRENCY (number with at most two decimals, magnitude at most 999999999999.99), BOOLEAN.',
});

export const ExtensionAttributeRef = builder.objectRef<AttributeDef>('ExtensionAttribute').implement({
  description: 'A typed attribute of an extension schema.',
  fields: (t) => ({
    name: t.exposeString('name'),
    type: t.field({ type: ExtensionAttributeTypeEnum, resolve: (a) => a.type }),
    length: t.exposeInt('length', { nullable: true, description: 'STRING only: maximum length in characters.' }),
    mandatory: t.exposeBoolean('mandatory', { description: 'Unique attributes are always mandatory.' }),
    default: t.field({ type: 'JSON', nullable: true, description: 'Stored when the attribute is not sent.', resolve: (a) => a.default }),
  }),
});

builder.prismaObject('ExtensionSchema', {
  description: 'Declares an extension before use: its owner kind, name, cardinality and typed attributes.',
  // Only the columns a query selects are read.
  select: { id: true },
  fields: (t) => ({
    owner: t.expose('owner', { type: ExtensionOwnerEnum }),
    name: t.exposeString('name', { description: 'The name as created; lookups ignore case.' }),
    multiValued: t.exposeBoolean('multiValued', { description: 'True: the value is an array of records; false: one object.' }),
    unique: t.exposeStringList('unique', { description: 'Multi-valued only: the attributes that key each record.' }),
    attributes: t.field({
      type: [ExtensionAttributeRef],
      select: { attributes: true },
      resolve: (schema) => schema.attributes as unknown as AttributeDef[],
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.queryField('extensionSchemas', (t) =>
  t.prismaField({
    type: ['ExtensionSchema'],
    description: 'The extension schemas, of one owner kind or of all, by owner kind then name.',
    args: { owner: t.arg({ type: ExtensionOwnerEnum }) },
    resolve: (query, _root, { owner }, ctx) =>
      ctx.db.prisma.extensionSchema.findMany({
        ...query,
        where: owner ? { owner } : {},
        orderBy: [{ owner: 'asc' }, { nameKey: 'asc' }],
      }),
  }),
);

builder.queryField('extensionSchema', (t) =>
  t.prismaField({
    type: 'ExtensionSchema',
    nullable: true,
    description: 'One extension schema by owner kind and name (case-insensitive); null when unknown.',
    args: { owner: t.arg({ type: ExtensionOwnerEnum, required: true }), name: t.arg.string({ required: true }) },
    resolve: (query, _root, { owner, name }, ctx) =>
      ctx.db.prisma.extensionSchema.findUnique({ ...query, where: { owner_nameKey: { owner, nameKey: name.toLowerCase() } } }),
  }),
);
