// Compiles a plan (plan.ts) into ONE SQL statement that returns the whole selected tree as JSON
// built by PostgreSQL: each nested connection is a correlated subquery with its own filters,
// order, page limit and optional count. Whatever the number of rows, a root field costs one
// round trip, and Node only parses the JSON the client asked for.
import { pageSize } from '../graphql/page-size.js';
import type { ConnectionArgs } from './connection-args.js';
import { decodeCursor } from './cursor.js';
import { buildObject, iso, literal } from './json-sql.js';
import type { ConnectionDef } from './node.js';
import type { ConnectionPlan, Plan } from './plan.js';

/** Key under which a loaded row carries the connection or linked object with that response key. */
export const connectionKey = (responseKey: string) => `$${responseKey}`;
/** Key under which a row in a connection carries its cursor position. */
export const POSITION_KEY = '$position';

/** Collects bind parameters and hands out fresh table aliases while SQL is being built. */
export class SqlBuilder {
  /**
   * `values` may already hold the parameters of the statement this SQL becomes part of, and
   * `aliases` how many table aliases it already uses.
   */
  constructor(
    readonly values: unknown[] = [],
    private aliases = 0,
  ) {}
  /** `$n` for `value`; `slots`, when given, records n - 1, for a value filled in per request. */
  param(value: unknown, slots?: number[]): string {
    slots?.push(this.values.length);
    this.values.push(value);
    return `$${this.values.length}`;
  }
  alias(): string {
    return `t${this.aliases++}`;
  }
  get aliasCount(): number {
    return this.aliases;
  }
}

/** JSON of one row of `plan.node` at `alias`, with its nested connections and links. */
export function rowSql(plan: Plan, alias: string, sql: SqlBuilder, withPosition = false): string {
  const { node } = plan;
  const pairs = [...plan.fields].map(([field, column]) => `${literal(field)}, ${column.sql(alias, column.selected)}`);
  for (const [key, connection] of plan.connections) {
    pairs.push(`${literal(connectionKey(key))}, ${connectionSql(connection, (child) => connection.def.join(child, alias), sql)}`);
  }
  for (const [key, object] of plan.objects) {
    const child = sql.alias();
    const row = rowSql(object.node, child, sql);
    pairs.push(
      `${literal(connectionKey(key))}, (SELECT ${row} FROM ${object.node.node.table} ${child} WHERE ${object.join(child, alias)})`,
    );
  }
  pairs.push(`'$type', ${literal(node.typeName)}`);
  if (withPosition) {
    pairs.push(`'${POSITION_KEY}', json_build_array(${iso(`${alias}.started_at`)}, ${alias}.${node.idColumn}::text)`);
  }
  return buildObject(pairs);
}

function filters(def: ConnectionDef, args: ConnectionArgs, alias: string, sql: SqlBuilder): string[] {
  const { child } = def;
  const where: string[] = [];
  if (args.status === 'ACTIVE') where.push(`${alias}.completed_at IS NULL`);
  if (args.status === 'COMPLETED') where.push(`${alias}.completed_at IS NOT NULL`);
  const types = args[def.typesArg] as (number | string)[] | null | undefined;
  if (types && child.typeColumns) {
    const [idColumn, nameColumn] = child.typeColumns;
    const ids = types.filter((t): t is number => typeof t === 'number');
    const names = types.filter((t): t is string => typeof t === 'string');
    where.push(`(${alias}.${idColumn} = ANY(${sql.param(ids)}::int[]) OR ${alias}.${nameColumn} = ANY(${sql.param(names)}::text[]))`);
  }
  if (args.startedFrom) where.push(`${alias}.started_at >= ${sql.param(args.startedFrom)}::timestamptz`);
  if (args.startedTo) where.push(`${alias}.started_at < ${sql.param(args.startedTo)}::timestamptz`);
  return where;
}

/**
 * A FROM item `p` holding up to `limit` rows of a connection from its `after` cursor on, with
 * `columns` computed on each row and what orders them in the API's order: `p.o1, p.o2`, or
 * `p.n`, their rank, when `ranked` (a window over the page, only worth its cost when the
 * rank is needed). `scope` ties the child rows to their parent (or to the root field's arguments).
 */
export function pageRows(
  def: ConnectionDef,
  args: ConnectionArgs,
  scope: (childAlias: string) => string,
  sql: SqlBuilder,
  limit: number,
  columns: (alias: string) => string[],
  ranked = false,
): string {
  const rows = sql.alias();
  const where = [scope(rows), ...filters(def, args, rows, sql)];
  const order = `${rows}.started_at, ${rows}.${def.child.idColumn}`;
  if (args.after) {
    const [startedAt, id] = decodeCursor(args.after);
    where.push(`(${order}) > (${sql.param(startedAt)}::timestamptz, ${sql.param(id)}::bigint)`);
  }
  const position = ranked
    ? [`row_number() OVER (ORDER BY ${order}) AS n`]
    : [`${rows}.started_at AS o1`, `${rows}.${def.child.idColumn} AS o2`];
  const selected = [...columns(rows), ...position];
  return `(SELECT ${selected.join(', ')} FROM ${def.child.table} ${rows} WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ${limit}) p`;
}

/** Number of a connection's rows over all pages. */
export function countSql(def: ConnectionDef, args: ConnectionArgs, scope: (childAlias: string) => string, sql: SqlBuilder): string {
  const counted = sql.alias();
  const where = [scope(counted), ...filters(def, args, counted, sql)];
  return `(SELECT count(*)::int FROM ${def.child.table} ${counted} WHERE ${where.join(' AND ')})`;
}

/**
 * JSON `{ nodes, totalCount }` of one page of a connection. One row more than the page is
 * fetched to tell whether a next page exists.
 */
export function connectionSql(connection: ConnectionPlan, scope: (childAlias: string) => string, sql: SqlBuilder): string {
  const { def, args } = connection;
  const row = (rows: string) => [`${rowSql(connection.node, rows, sql, connection.cursors)} AS j`];
  const page = pageRows(def, args, scope, sql, pageSize(args) + 1, row);
  const nodes = `(SELECT coalesce(json_agg(p.j ORDER BY p.o1, p.o2), '[]'::json) FROM ${page})`;
  const total = connection.totalCount ? countSql(def, args, scope, sql) : 'NULL';
  return `json_build_object('nodes', ${nodes}, 'totalCount', ${total})`;
}
