// Root fields that fetch one node of the context tree by its id (customer, service, state,
// task), with the Relay refetch of that type, and root lists scoped by one argument
// (anonymousServices). The executor resolves them with loadById and loadConnection;
// query-as-json.ts serves the same fields, whole selection included, as JSON text.
import type { ObjectRef } from '@pothos/core';
import { builder } from '../graphql/builder.js';
import type { ConnectionDef, Entity } from './entity.js';
import { loadById, type Row } from './load.js';
import { nodeLoaders } from './nodes.js';

export interface RootLookup {
  entity: Entity;
  /** The argument carrying the id. */
  idArg: string;
}

/** Query field name -> what it looks up. */
export const rootLookups = new Map<string, RootLookup>();

export interface RootConnection {
  def: ConnectionDef;
  /** The argument that chooses the rows, and the condition its parameter puts on a row at `alias`. */
  scopeArg: string;
  scope: (alias: string, param: string) => string;
}

/** Query field name -> the rows it lists. */
export const rootConnections = new Map<string, RootConnection>();

export function defineLookup(field: string, ref: ObjectRef<any, Row>, entity: Entity, idArg: string, idType: 'ID' | 'String'): void {
  rootLookups.set(field, { entity, idArg });
  nodeLoaders.set(entity.typeName, (id, ctx, info) => loadById(ctx, info, entity, id));
  builder.queryField(field, (t) =>
    t.field({
      type: ref,
      nullable: true,
      description: `A ${field} by id; null when unknown.`,
      args: { [idArg]: t.arg({ type: idType, required: true }) },
      resolve: (_root, args, ctx, info) => loadById(ctx, info, entity, String(args[idArg])),
    }),
  );
}
