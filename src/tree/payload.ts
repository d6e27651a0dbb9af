// Mutation payloads that carry tree objects: the mutation returns, per field, the row its write
// already returned in the client's selection (see returning.ts), or an id to read it back by,
// nested connections included, in one statement.
import type { ObjectRef } from '@pothos/core';
import type { GraphQLResolveInfo } from 'graphql';
import { builder } from '../graphql/builder.js';
import type { Context } from '../graphql/context.js';
import type { Entity } from './entity.js';
import { loadById, type Row } from './load.js';
import { type Returning, returningFor } from './returning.js';

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

/** How the write returns each payload field it is asked for (see returning.ts). */
export type Returnings<K extends string> = Partial<Record<K, Returning>>;

export interface TreeWrite {
  /** The payload fields that carry tree rows, with their entity. */
  payload: Record<string, Entity>;
  /** Runs the write; a field given a `returning` comes back as the value that built. */
  run(ctx: Context, args: unknown, returning: Returnings<string>): Promise<PayloadIds<string>>;
}

/** Mutation field -> its write, which mutation-as-json.ts also runs without the executor. */
export const treeWrites = new Map<string, TreeWrite>();

/** The resolver of mutation `field`, whose payload fields `payload` carry tree rows. */
export function treeWrite<A, K extends string>(
  field: string,
  payload: Record<K, Entity>,
  run: (ctx: Context, args: A, returning: Returnings<K>) => Promise<PayloadIds<K>>,
) {
  treeWrites.set(field, { payload, run: run as TreeWrite['run'] });
  return (_root: unknown, args: A, ctx: Context, info: GraphQLResolveInfo) => {
    const returning: Returnings<K> = {};
    for (const name of Object.keys(payload) as K[]) returning[name] = returningFor(info, name, payload[name]);
    return run(ctx, args, returning);
  };
}
