// Runs compiled tree SQL and shapes the JSON it returns into what the GraphQL types resolve.
import type { GraphQLObjectType, GraphQLResolveInfo } from 'graphql';
import { getNamedType } from 'graphql';
import { isBigintId } from '../db/ids.js';
import type { Context } from '../graphql/context.js';
import { checkConnectionArgs, connectionKey, connectionSql, POSITION_KEY, pageSize, SqlBuilder } from './compile.js';
import { encodeCursor, type Position } from './cursor.js';
import type { ConnectionDef, Entity } from './entity.js';
import { type ConnectionArgs, planConnection } from './plan.js';
import { selectRows } from './rows-cache.js';
import { runTreeStatement } from './run.js';

/** Whether a row of `entity` can have this id; anything else is known absent without a query. */
export const possibleId = (entity: Entity, id: string) => (entity.idPattern ? entity.idPattern.test(id) : isBigintId(id));

/** A row of the context tree as PostgreSQL built it: GraphQL field names to values. */
export type Row = Record<string, unknown>;

interface LoadedConnection {
  nodes: Row[];
  totalCount: number | null;
}

export interface Connection {
  edges: { cursor: string; node: Row }[];
  nodes: Row[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number | null;
}

/** Loads the `entity` rows matching `where`, with everything selected under the current field. */
export async function loadRows(
  ctx: Context,
  info: GraphQLResolveInfo,
  entity: Entity,
  where: (alias: string, sql: SqlBuilder) => string,
): Promise<Row[]> {
  const { text, values } = selectRows(info, entity, where);
  return runTreeStatement<Row>(ctx, text, values);
}

/** Loads one row of `entity` by id, or null. */
export async function loadById(ctx: Context, info: GraphQLResolveInfo, entity: Entity, id: string): Promise<Row | null> {
  if (!possibleId(entity, id)) return null;
  const rows = await loadRows(ctx, info, entity, (a, sql) => `${a}.${entity.idColumn} = ${sql.param(id)}`);
  return rows[0] ?? null;
}

/** Loads a root connection whose rows are chosen by `scope`, with everything selected below it. */
export async function loadConnection(
  ctx: Context,
  info: GraphQLResolveInfo,
  def: ConnectionDef,
  args: ConnectionArgs,
  scope: (alias: string, sql: SqlBuilder) => string,
): Promise<Connection> {
  const sql = new SqlBuilder();
  const plan = planConnection(info, def, args, getNamedType(info.returnType) as GraphQLObjectType, [...info.fieldNodes]);
  const text = `SELECT ${connectionSql(plan, (alias) => scope(alias, sql), sql)} AS j`;
  const [loaded] = await runTreeStatement<LoadedConnection>(ctx, text, sql.values);
  return toConnection(loaded, args);
}

/**
 * Resolver of a nested connection field: the parent normally carries the page (loaded with it
 * in the same statement); a parent that came from elsewhere (a mutation result) loads it now.
 */
export async function resolveNestedConnection(
  parent: Row,
  args: ConnectionArgs,
  ctx: Context,
  info: GraphQLResolveInfo,
  parentEntity: Entity,
  def: ConnectionDef,
): Promise<Connection> {
  checkConnectionArgs(args);
  const loaded = parent[connectionKey(info.path.key as string)] as LoadedConnection | undefined;
  if (loaded) return toConnection(loaded, args);
  const parentId = parent[parentEntity.idField];
  return loadConnection(ctx, info, def, args, (alias, sql) => {
    const p = sql.alias();
    return `EXISTS (SELECT 1 FROM ${parentEntity.table} ${p} WHERE ${p}.${parentEntity.idColumn} = ${sql.param(parentId)} AND ${def.join(alias, p)})`;
  });
}

/**
 * Resolver of a to-one link (a task's state...): loaded with the parent in the same statement,
 * or now by id for a parent that came from elsewhere.
 */
export async function resolveLinkedObject(
  parent: Row,
  ctx: Context,
  info: GraphQLResolveInfo,
  entity: Entity,
  foreignKey: string,
): Promise<Row | null> {
  const key = connectionKey(info.path.key as string);
  if (key in parent) return parent[key] as Row | null;
  const id = parent[foreignKey];
  return id == null ? null : loadById(ctx, info, entity, String(id));
}

function toConnection(loaded: LoadedConnection, args: ConnectionArgs): Connection {
  const first = pageSize(args);
  const nodes = loaded.nodes.length > first ? loaded.nodes.slice(0, first) : loaded.nodes;
  // Positions are loaded only when the selection asks for a cursor; encode them lazily too.
  const cursorOf = (node: Row | undefined) => (node ? encodeCursor(node[POSITION_KEY] as Position) : null);
  return {
    get edges() {
      return nodes.map((node) => ({
        get cursor() {
          return cursorOf(node)!;
        },
        node,
      }));
    },
    nodes,
    pageInfo: {
      hasNextPage: loaded.nodes.length > first,
      hasPreviousPage: Boolean(args.after),
      get startCursor() {
        return cursorOf(nodes[0]);
      },
      get endCursor() {
        return cursorOf(nodes.at(-1));
      },
    },
    totalCount: loaded.totalCount,
  };
}
