// Runs compiled tree SQL and shapes the JSON it returns into what the GraphQL types resolve. What
// a field loads is read from the schema (node.ts), so these resolvers serve every node type.
import type { GraphQLObjectType, GraphQLResolveInfo } from 'graphql';
import { getNamedType, isObjectType } from 'graphql';
import type { Context } from '../graphql/context.js';
import { pageSize } from '../graphql/page-size.js';
import { connectionKey, connectionSql, POSITION_KEY, SqlBuilder } from './compile.js';
import { type ConnectionArgs, checkConnectionArgs } from './connection-args.js';
import { encodeCursor, type Position } from './cursor.js';
import { type ConnectionDef, connectionOf, linkOf, type TreeNode, treeListOf, treeNodeOf } from './node.js';
import { planConnection } from './plan.js';
import { selectRows } from './rows-cache.js';
import { runTreeStatement } from './run.js';

/**
 * A row as the tree statement builds it: the selected fields by name, and under `$` keys what the
 * compiler adds (`$type`, a cursor's `$position`, each connection or link by response key).
 */
export type LoadedRow = Record<string, unknown>;

interface LoadedConnection<Row> {
  nodes: Row[];
  totalCount: number | null;
}

export interface Connection<Row> {
  edges: { cursor: string; node: Row }[];
  nodes: Row[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number | null;
}

/** Loads the `node` rows matching `where`, with everything selected under the current field. */
export async function loadRows<Row>(
  ctx: Context,
  info: GraphQLResolveInfo,
  node: TreeNode,
  where: (alias: string, sql: SqlBuilder) => string,
): Promise<Row[]> {
  const { text, values } = selectRows(info, node, where);
  return runTreeStatement<Row>(ctx, text, values);
}

/**
 * THE way to load one node of the tree by id for a GraphQL field (root lookups, `node(id:)`,
 * mutation payloads, live context events): the row with everything selected under `info`'s field,
 * nested pages and links included, in one statement; null when no such row exists.
 */
export async function loadById<Row>(ctx: Context, info: GraphQLResolveInfo, node: TreeNode, id: string): Promise<Row | null> {
  if (!node.possibleId(id)) return null;
  const rows = await loadRows<Row>(ctx, info, node, (a, sql) => `${a}.${node.idColumn} = ${sql.param(id)}`);
  return rows[0] ?? null;
}

/** loadById for a node type named by a Relay id: null when the type is no node type of the tree. */
export function loadNode(ctx: Context, info: GraphQLResolveInfo, typeName: string, id: string): Promise<LoadedRow | null> {
  const type = info.schema.getType(typeName);
  const node = type && isObjectType(type) ? treeNodeOf(type) : undefined;
  return node ? loadById<LoadedRow>(ctx, info, node, id) : Promise.resolve(null);
}

/** Loads the page of the current connection field whose rows `scope` chooses, with everything selected below it. */
export async function loadConnection<Row>(
  ctx: Context,
  info: GraphQLResolveInfo,
  args: ConnectionArgs,
  scope: (alias: string, sql: SqlBuilder) => string,
  def: ConnectionDef = rootListOf(info),
): Promise<Connection<Row>> {
  const sql = new SqlBuilder();
  const plan = planConnection(info, def, args, getNamedType(info.returnType) as GraphQLObjectType, [...info.fieldNodes]);
  const text = `SELECT ${connectionSql(plan, (alias) => scope(alias, sql), sql)} AS j`;
  const [loaded] = await runTreeStatement<LoadedConnection<Row>>(ctx, text, sql.values);
  return toConnection(loaded, args);
}

/** A root list: its rows are tied to no parent. */
function rootListOf(info: GraphQLResolveInfo): ConnectionDef {
  const { node, typesArg } = treeListOf(getNamedType(info.returnType));
  return { child: node, join: () => 'TRUE', typesArg };
}

/**
 * Resolver of a connection field: the parent normally carries the page (loaded with it in the same
 * statement); a parent that came from elsewhere (a mutation result) loads it now.
 */
export async function resolveNestedConnection<Row>(
  parent: object,
  args: ConnectionArgs,
  ctx: Context,
  info: GraphQLResolveInfo,
): Promise<Connection<Row>> {
  checkConnectionArgs(args);
  const row = parent as LoadedRow;
  const loaded = row[connectionKey(info.path.key as string)] as LoadedConnection<Row> | undefined;
  if (loaded) return toConnection(loaded, args);
  const parentNode = treeNodeOf(info.parentType)!;
  const def = connectionOf(info.parentType.getFields()[info.fieldName])!;
  const parentId = row[parentNode.idField];
  return loadConnection<Row>(
    ctx,
    info,
    args,
    (alias, sql) => {
      const p = sql.alias();
      return `EXISTS (SELECT 1 FROM ${parentNode.table} ${p} WHERE ${p}.${parentNode.idColumn} = ${sql.param(parentId)} AND ${def.join(alias, p)})`;
    },
    def,
  );
}

/**
 * Resolver of a to-one link (a task's state...): loaded with the parent in the same statement, or
 * now by its foreign key for a parent that came from elsewhere.
 */
export async function resolveLinkedObject<Row>(parent: object, ctx: Context, info: GraphQLResolveInfo): Promise<Row | null> {
  const row = parent as LoadedRow;
  const key = connectionKey(info.path.key as string);
  if (key in row) return row[key] as Row | null;
  const link = linkOf(info.parentType.getFields()[info.fieldName])!;
  const id = row[link.foreignKey];
  return id == null ? null : loadById<Row>(ctx, info, link.child, String(id));
}

function toConnection<Row>(loaded: LoadedConnection<Row>, args: ConnectionArgs): Connection<Row> {
  const first = pageSize(args);
  const nodes = loaded.nodes.length > first ? loaded.nodes.slice(0, first) : loaded.nodes;
  // Positions are loaded only when the selection asks for a cursor; encode them lazily too.
  const cursorOf = (node: Row | undefined) => (node ? encodeCursor((node as LoadedRow)[POSITION_KEY] as Position) : null);
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
