// Refetch by Relay id: each node type registers how to load one object by its own id, planned
// from the `node(id:)` selection like any other root field.
import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../graphql/context.js';

export type NodeLoader = (id: string, ctx: Context, info: GraphQLResolveInfo) => Promise<unknown>;

export const nodeLoaders = new Map<string, NodeLoader>();
