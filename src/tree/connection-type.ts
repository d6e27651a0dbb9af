// Relay connection and edge types for the context tree, with `nodes` and `totalCount`. Built by
// hand rather than with the relay plugin's t.connection, which would add backward paging
// arguments (last/before) that the API does not promise.
import type { ArgBuilder, ObjectRef } from '@pothos/core';
import { builder, type Types } from '../graphql/builder.js';
import { StatusEnum } from '../lifecycle/status.js';
import type { Connection, Row } from './load.js';

export function defineConnection(nodeRef: ObjectRef<any, Row>, name: string) {
  const edge = builder.objectRef<Connection['edges'][number]>(`${name}Edge`).implement({
    fields: (t) => ({
      cursor: t.exposeString('cursor', { description: 'Opaque position; pass as `after` for the next page.' }),
      node: t.field({ type: nodeRef, resolve: (e) => e.node }),
    }),
  });
  return builder.objectRef<Connection>(`${name}Connection`).implement({
    description: `A page of ${name} objects ordered by start time, then id.`,
    fields: (t) => ({
      edges: t.field({ type: [edge], resolve: (c) => c.edges }),
      nodes: t.field({ type: [nodeRef], resolve: (c) => c.nodes }),
      pageInfo: t.field({ type: builder.pageInfoRef(), resolve: (c) => c.pageInfo }),
      totalCount: t.int({
        description: 'Number of items matching the filters, over all pages.',
        resolve: (c) => c.totalCount ?? 0,
      }),
    }),
  });
}

/** The arguments every list of services, states or tasks takes. */
export function listArgs<K extends string>(t: ArgBuilder<Types>, typesArg: K, what: string) {
  const types = t({ type: ['AttributeRef'], description: `Ids or names of ${what} types.` });
  return {
    status: t({ type: StatusEnum }),
    ...({ [typesArg]: types } as Record<K, typeof types>),
    first: t.int({ description: 'Page size: default 50, at most 500.' }),
    after: t.string({ description: 'Cursor of the last item of the previous page.' }),
  };
}
