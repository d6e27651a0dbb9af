// Mutation payloads that carry tree objects: the mutation returns, per field, the row its write
// already returned in the client's selection (see returning.ts), or an id to read it back by,
// nested connections included, in one statement.
import type { GraphQLField, GraphQLResolveInfo } from 'graphql';
import { builder } from '../graphql/builder.js';
import type { Context } from '../graphql/context.js';
import type { DeclaredNode } from './declare.js';
import { type LoadedRow, loadById } from './load.js';
import type { TreeNode } from './node.js';
import { type Returning, returningFor } from './returning.js';

/** What a write hands its payload, per field: the row it returned, or the id to read it by. */
export type PayloadIds<K extends string> = Record<K, string | LoadedRow>;

/** `{ <field>: <Node>! ... }`: each field a row of that node type, written by the mutation. */
export function definePayload<K extends string>(name: string, fields: Record<K, DeclaredNode<unknown>>) {
  return builder.objectRef<PayloadIds<K>>(name).implement({
    fields: (t) =>
      Object.fromEntries(
        (Object.entries(fields) as [K, DeclaredNode<unknown>][]).map(([field, node]) => [
          field,
          t.field({
            type: node.ref,
            // The row was written by this request's committed transaction, so it exists.
            resolve: async (ids, _args, ctx, info) => {
              const written = ids[field];
              return typeof written === 'string' ? (await loadById(ctx, info, node, written))! : written;
            },
          }),
        ]),
      ),
  });
}

/** How the write returns each payload field it is asked for (see returning.ts). */
export type Returnings<K extends string> = Partial<Record<K, Returning>>;

/** A mutation whose payload fields carry tree rows; mutation-as-json.ts also runs it without the executor. */
export interface TreeWrite {
  /** The payload fields that carry tree rows, with their node type. */
  payload: Record<string, TreeNode>;
  /** Runs the write; a field given a `returning` comes back as the row that built. */
  run(ctx: Context, args: unknown, returning: Returnings<string>): Promise<PayloadIds<string>>;
}

export const treeWriteOf = (field: GraphQLField<unknown, unknown>): TreeWrite | undefined =>
  field.extensions.treeWrite as TreeWrite | undefined;

/**
 * The resolver and extensions of a mutation field whose payload fields `payload` carry tree rows:
 * `run` performs the write, returning each payload row as selected where it can.
 */
export function treeWrite<A, K extends string>(
  payload: Record<K, TreeNode>,
  run: (ctx: Context, args: A, returning: Returnings<K>) => Promise<PayloadIds<K>>,
) {
  return {
    extensions: { treeWrite: { payload, run: run as TreeWrite['run'] } satisfies TreeWrite },
    resolve: (_root: unknown, args: A, ctx: Context, info: GraphQLResolveInfo) => {
      const returning: Returnings<K> = {};
      for (const name of Object.keys(payload) as K[]) returning[name] = returningFor(info, name, payload[name]);
      return run(ctx, args, returning);
    },
  };
}
