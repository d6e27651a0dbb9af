// IdentificationKey: an admin-style model read through the Prisma plugin, with its root field
// `identificationKeys` and the payload of createIdentificationKey.
import { builder } from '../graphql/builder.js';

export const IdentificationKeyRef = builder.prismaObject('IdentificationKey', {
  description: 'Names the attributes that identify customers: all from the core profile or all from one customer extension.',
  fields: (t) => ({
    name: t.exposeString('name'),
    source: t.exposeString('source', {
      description: '"profile" for core attributes, else the name of the customer extension the attributes belong to.',
    }),
    attributes: t.exposeStringList('attributes'),
    unique: t.exposeBoolean('unique', { description: 'A unique key never matches two customers (enforced on write).' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.queryField('identificationKeys', (t) =>
  t.prismaField({
    type: [IdentificationKeyRef],
    description: 'Every identification key, in creation order (the order identifyCustomers tries them in).',
    resolve: (query, _root, _args, ctx) => ctx.db.prisma.identificationKey.findMany({ ...query, orderBy: { id: 'asc' } }),
  }),
);

export const IdentificationKeyPayloadRef = builder.objectRef<{ id: number }>('IdentificationKeyPayload').implement({
  fields: (t) => ({
    identificationKey: t.prismaField({
      type: IdentificationKeyRef,
      resolve: (query, { id }, _args, ctx) => ctx.db.prisma.identificationKey.findUniqueOrThrow({ ...query, where: { id } }),
    }),
  }),
});
