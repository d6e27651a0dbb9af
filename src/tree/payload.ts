// Mutation payloads that carry tree objects: the mutation returns, per field, the row its write
// already returned in the client's selection (see returning.ts), or an id to read it back by,
// nested connections included, in one statement.
import type { ObjectRef } from '@pothos/core';
import { builder } from '../graphql/builder.js';
import type { Entity } from './entity.js';
import { loadById, type Row } from './load.js';

export type PayloadIds<K extends string> = Record<K, string | Row>;

/** `{ <field>: <Type>! ... }` for each field name -> [type ref, entity]. */
export function definePayload<K extends string>(name: string, fields: Record<K, [ObjectRef<any, Row>, Entity]>) {
  return builder.objectRef<PayloadIds<K>>(name).implement({
    fields: (t) =>
      Object.fromEntries(
        (Object.entries(fields) as [K, [ObjectRef<any, Row>, Entity]][]).map(([field, [ref, entity]]) => [
          field,
          t.field({
            type: ref,
            // The row was written by this request's committed transaction, so it exists.
            resolve: async (ids, _args, ctx, info): Promise<Row> => {
              const written: string | Row = ids[field];
              return typeof written === 'string' ? (await loadById(ctx, info, entity, written))! : written;
            },
          }),
        ]),
      ),
  });
}
