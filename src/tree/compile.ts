// Compiles a plan (plan.ts) into ONE SQL statement that returns the whole selected tree as JSON
// built by PostgreSQL: each nested connection is a correlated subquery with its own filters,
// order, page limit and optional count. Whatever the number of rows, a root field costs one
// round trip, and Node only parses the JSON the client asked for.
import { badInput } from '../graphql/errors.js';
import { checkArguments } from '../graphql/input-text.js';
import { decodeCursor } from './cursor.js';
import { type ConnectionDef, iso } from './entity.js';
import type { ConnectionArgs, ConnectionPlan, Plan } from './plan.js';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

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

export function pageSize(args: ConnectionArgs): number {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (first < 0 || first > MAX_PAGE_SIZE) {
    throw badInput('first', `first must be between 0 and ${MAX_PAGE_SIZE}; got ${first}`);
  }
  return first;
}

/**
 * The page size of a connection whose arguments are all valid; BAD_USER_INPUT naming the first
 * that is not (a page size out of range, an `after` that is no cursor of ours, text that cannot be
 * stored), whatever the selection needs of them.
 */
export function checkConnectionArgs(args: ConnectionArgs): number {
  checkArguments(args);
  const first = pageSize(args);
  if (args.after) decodeCursor(args.after);
  return first;
}

// json_build_object takes at most 100 arguments.
const PAIRS_PER_CALL = 50;

/**
 * A JSON object of `pairs` (key, value, key, value...), its keys in the order given: the response
 * follows the selection. A wider object is joined from the text of several, each without its
 * braces: merging them as jsonb would sort the keys.
 */
export function buildObject(pairs: string[]): string {
  if (pairs.length <= PAIRS_PER_CALL) return `json_build_object(${pairs.join(', ')})`;
  const members: string[] = [];
  for (let i = 0; i < pairs.length; i += PAIRS_PER_CALL) {
    members.push(`left(substr(json_build_object(${pairs.slice(i, i + PAIRS_PER_CALL).join(', ')})::text, 2), -1)`);
  }
  return `('{' || ${members.join(` || ', ' || `)} || '}')::json`;
}

export const literal = (key: string) => `'${key.replace(/'/g, "''")}'`;

/** JSON of one row of `plan.entity` at `alias`, with its nested connections. */
export function rowSql(plan: Plan, alias: string, sql: SqlBuilder, withPosition = false): string {
  const { entity } = plan;
  const pairs = [...plan.fields].map(([field, selected]) => `${literal(field)}, ${entity.fields[field](alias, selected)}`);
  for (const [key, connection] of plan.connections) {
    pairs.push(`${literal(connectionKey(key))}, ${connectionSql(connection, (child) => connection.def.join(child, alias), sql)}`);
  }
  for (const [key, object] of plan.objects) {
    const child = sql.alias();
    const row = rowSql(object.node, child, sql);
    pairs.push(
      `${literal(connectionKey(key))}, (SELECT ${row} FROM ${object.def.child.table} ${child} WHERE ${object.def.join(child, alias)})`,
    );
  }
  pairs.push(`'$type', ${literal(entity.typeName)}`);
  if (withPosition) {
    pairs.push(`'${POSITION_KEY}', json_build_array(${iso(`${alias}.started_at`)}, ${alias}.${entity.idColumn}::text)`);
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
