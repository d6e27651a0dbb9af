// ExtensionOwner: the GraphQL enum of the kinds of object that carry extensions, defined once
// from the Prisma enum of the same name.
import { ExtensionOwner } from '../generated/prisma/enums.js';
import { builder } from '../graphql/builder.js';

export const ExtensionOwnerEnum = builder.enumType(ExtensionOwner, {
  name: 'ExtensionOwner',
  description: 'The kind of object an extension belongs to.',
});
