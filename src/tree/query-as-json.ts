// A query whose root fields are all lookups of the context tree (customer, service, state, task)
// or root lists of it (anonymousServices) becomes ONE statement returning each root field's value
// exactly as the response carries it: response keys and aliases, __typename, Relay ids, pages
// with their cursors, page info and counts, as JSON text spliced into the response unparsed.
// Parsing PostgreSQL's JSON, walking it with the executor and stringifying it again was most of a
// nested read's CPU. A selection that needs a resolver (`extension(name:)`) or another root field
// (`node`, `identifyCustomers`...) is not compiled, and the query runs through the executor as
// before. Statements are kept per operation and values of the variables that shape them; a
// lookup's id and a list's scoping argument are parameters.
import {
  type DocumentNode,
  type ExecutionArgs,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  getArgumentValues,
  getNamedType,
  getOperationAST,
  isLeafType,
  Kind,
  type OperationDefinitionNode,
  OperationTypeNode,
  visit,
} from 'graphql';
import { requiredScope } from '../auth/scopes.js';
import { preparedStatement } from '../db/prepared.js';
import type { Context } from '../graphql/context.js';
import { checkArguments } from '../graphql/input-text.js';
import { type Coerce, variableCoercer } from './coerce-variables.js';
import { collectRootFields, collectSubfields, type Selection } from './collect-fields.js';
import { countSql, pageRows, SqlBuilder } from './compile.js';
import { type ConnectionArgs, checkConnectionArgs } from './connection-args.js';
import { cursorSql } from './cursor.js';
import { buildObject, literal } from './json-sql.js';
import {
  type ConnectionDef,
  connectionOf,
  linkOf,
  type TreeNode,
  treeFieldOf,
  treeListOf,
  treeLookupOf,
  treeNodeOf,
  treeRootListOf,
} from './node.js';
import { treeWriteOf } from './payload.js';

class NotCompilable extends Error {}

export const notCompilable = (): never => {
  throw new NotCompilable();
};

interface CompiledRoot {
  key: string;
  /** `__typename`'s value, as JSON. */
  typename?: string;
  /** A root field read from the database: its column, and the argument its parameters take. */
  read?: {
    field: GraphQLField<unknown, unknown>;
    node: FieldNode;
    column: string;
    arg: string;
    slots: number[];
    /** A lookup's node type: an id it cannot have finds nothing without being sent. */
    lookup?: TreeNode;
  };
}

interface Compiled {
  /** Undefined when no root field needs the database (`{ __typename }`). */
  text?: string;
  /** Parameters, with a placeholder at each lookup's slot. */
  values: unknown[];
  roots: CompiledRoot[];
}

/**
 * A value of a field of object type whose column (see FieldSql) yields the selected scalar
 * subfields; any other selection (aliases, `__typename`, nested objects) is rebuilt from it.
 */
function valueObjectSql(
  sel: Selection,
  type: GraphQLObjectType,
  nodes: readonly FieldNode[],
  column: (selected: ReadonlySet<string>) => string,
): string {
  const subfields = collectSubfields(sel, type, nodes);
  const names = [...subfields].map(([, fieldNodes]) => fieldNodes[0].name.value);
  const plain = [...subfields].every(
    ([key, fieldNodes]) => key === fieldNodes[0].name.value && key !== '__typename' && isLeafType(getNamedType(type.getFields()[key].type)),
  );
  const value = column(new Set(names));
  return plain ? value : reshapedSql(sel, type, subfields, value);
}

function reshapedSql(sel: Selection, type: GraphQLObjectType, subfields: Map<string, FieldNode[]>, value: string): string {
  const pairs = [...subfields].map(([key, fieldNodes]) => {
    const name = fieldNodes[0].name.value;
    if (name === '__typename') return `${literal(key)}, ${literal(type.name)}`;
    const sub = `(${value})->${literal(name)}`;
    const subType = getNamedType(type.getFields()[name].type);
    if (isLeafType(subType)) return `${literal(key)}, ${sub}`;
    const subObject = subType as GraphQLObjectType;
    return `${literal(key)}, ${reshapedSql(sel, subObject, collectSubfields(sel, subObject, fieldNodes), sub)}`;
  });
  return `CASE WHEN json_typeof(${value}) = 'object' THEN ${buildObject(pairs)} END`;
}

/**
 * A connection as selected. Whatever lists rows (nodes, edges, pageInfo) aggregates ONE page
 * query; with pageInfo, of `first` + 1 ranked rows, the extra row telling whether a next page
 * exists.
 */
function connectionValueSql(
  sel: Selection,
  def: ConnectionDef,
  args: ConnectionArgs,
  type: GraphQLObjectType,
  nodes: readonly FieldNode[],
  scope: (childAlias: string) => string,
  sql: SqlBuilder,
): string {
  const first = checkConnectionArgs(args);
  const fields = collectSubfields(sel, type, nodes);
  const ranked = [...fields.values()].some((fieldNodes) => fieldNodes[0].name.value === 'pageInfo');
  const [order, inPage] = ranked ? ['p.n', ` FILTER (WHERE p.n <= ${first})`] : ['p.o1, p.o2', ''];
  // Built on each row of the page, once the page query is: c0, c1...
  const columns: ((rows: string) => string)[] = [];
  const column = (build: (rows: string) => string) => `p.c${columns.push(build) - 1}`;
  let cursor: string | undefined;
  const list = (build: (rows: string) => string) => `coalesce(json_agg(${column(build)} ORDER BY ${order})${inPage}, '[]'::json)`;
  const pageInfo = (pageInfoType: GraphQLObjectType, fieldNodes: readonly FieldNode[]) => {
    const pairs = [...collectSubfields(sel, pageInfoType, fieldNodes)].map(([key, infoNodes]) => {
      const name = infoNodes[0].name.value;
      if (name === '__typename') return `${literal(key)}, ${literal(pageInfoType.name)}`;
      if (name === 'hasNextPage') return `${literal(key)}, count(*) > ${first}`;
      if (name === 'hasPreviousPage') return `${literal(key)}, ${Boolean(args.after)}`;
      cursor ??= column((rows) => cursorSql(rows, def.child.idColumn));
      const direction = name === 'startCursor' ? '' : ' DESC';
      return `${literal(key)}, (array_agg(${cursor} ORDER BY p.n${direction})${inPage})[1]`;
    });
    return buildObject(pairs);
  };
  const edge = (edgeType: GraphQLObjectType, fieldNodes: readonly FieldNode[], rows: string) =>
    buildObject(
      [...collectSubfields(sel, edgeType, fieldNodes)].map(([key, edgeNodes]) => {
        const name = edgeNodes[0].name.value;
        if (name === '__typename') return `${literal(key)}, ${literal(edgeType.name)}`;
        if (name === 'cursor') return `${literal(key)}, ${cursorSql(rows, def.child.idColumn)}`;
        return `${literal(key)}, ${objectSql(sel, def.child, edgeNodes, rows, sql)}`;
      }),
    );
  const pairs = [...fields].map(([key, fieldNodes]) => {
    const name = fieldNodes[0].name.value;
    const fieldType = () => getNamedType(type.getFields()[name].type) as GraphQLObjectType;
    if (name === '__typename') return `${literal(key)}, ${literal(type.name)}`;
    if (name === 'totalCount') return `${literal(key)}, ${countSql(def, args, scope, sql)}`;
    if (name === 'nodes') return `${literal(key)}, ${list((rows) => objectSql(sel, def.child, fieldNodes, rows, sql))}`;
    if (name === 'edges') return `${literal(key)}, ${list((rows) => edge(fieldType(), fieldNodes, rows))}`;
    if (name === 'pageInfo') return `${literal(key)}, ${pageInfo(fieldType(), fieldNodes)}`;
    return notCompilable();
  });
  const object = buildObject(pairs);
  if (columns.length === 0 && !ranked) return object;
  const page = pageRows(
    def,
    args,
    scope,
    sql,
    ranked ? first + 1 : first,
    (rows) => columns.map((build, i) => `${build(rows)} AS c${i}`),
    ranked,
  );
  return `(SELECT ${object} FROM ${page})`;
}

/** JSON of the `node` row at `alias` as the client selected it. */
export function objectSql(sel: Selection, node: TreeNode, nodes: readonly FieldNode[], alias: string, sql: SqlBuilder): string {
  const type = sel.schema.getType(node.typeName) as GraphQLObjectType;
  const pairs = [...collectSubfields(sel, type, nodes)].map(([key, fieldNodes]) => {
    const name = fieldNodes[0].name.value;
    if (name === '__typename') return `${literal(key)}, ${literal(type.name)}`;
    const field = type.getFields()[name];
    const tree = treeFieldOf(field);
    const connection = connectionOf(field);
    if (connection) {
      const args = getArgumentValues(field, fieldNodes[0], sel.variableValues) as ConnectionArgs;
      const connectionType = getNamedType(field.type) as GraphQLObjectType;
      const scope = (child: string) => connection.join(child, alias);
      return `${literal(key)}, ${connectionValueSql(sel, connection, args, connectionType, fieldNodes, scope, sql)}`;
    }
    const link = linkOf(field);
    if (link) {
      const child = sql.alias();
      const row = objectSql(sel, link.child, fieldNodes, child, sql);
      return `${literal(key)}, (SELECT ${row} FROM ${link.child.table} ${child} WHERE ${link.join(child, alias)})`;
    }
    // A derived field has a resolver: the executor answers.
    if (tree?.kind !== 'column') return notCompilable();
    const fieldType = getNamedType(field.type);
    if (isLeafType(fieldType)) return `${literal(key)}, ${tree.sql(alias, new Set())}`;
    return `${literal(key)}, ${valueObjectSql(sel, fieldType as GraphQLObjectType, fieldNodes, (selected) => tree.sql(alias, selected))}`;
  });
  return buildObject(pairs);
}

function compile(sel: Selection, operation: OperationDefinitionNode): Compiled {
  const queryType = sel.schema.getQueryType()!;
  const sql = new SqlBuilder();
  const roots: CompiledRoot[] = [];
  const columns: string[] = [];
  for (const [key, nodes] of collectRootFields(sel, queryType, operation.selectionSet)) {
    const name = nodes[0].name.value;
    if (name === '__typename') {
      roots.push({ key, typename: JSON.stringify(queryType.name) });
      continue;
    }
    const field = queryType.getFields()[name];
    const column = `r${columns.length}`;
    const slots: number[] = [];
    const param = () => sql.param(null, slots);
    const lookup = treeLookupOf(field);
    const list = treeRootListOf(field);
    if (lookup) {
      const node = treeNodeOf(getNamedType(field.type))!;
      const alias = sql.alias();
      const row = objectSql(sel, node, nodes, alias, sql);
      columns.push(`(SELECT (${row})::text FROM ${node.table} ${alias} WHERE ${alias}.${node.idColumn} = ${param()}) AS ${column}`);
      roots.push({ key, read: { field, node: nodes[0], column, arg: lookup.idArg, slots, lookup: node } });
    } else if (list) {
      const args = getArgumentValues(field, nodes[0], sel.variableValues) as ConnectionArgs;
      const connectionType = getNamedType(field.type) as GraphQLObjectType;
      const { node, typesArg } = treeListOf(connectionType);
      const def: ConnectionDef = { child: node, join: () => 'TRUE', typesArg };
      const value = connectionValueSql(sel, def, args, connectionType, nodes, (child) => list.scope(child, param()), sql);
      columns.push(`(SELECT (${value})::text) AS ${column}`);
      roots.push({ key, read: { field, node: nodes[0], column, arg: list.scopeArg, slots } });
    } else {
      notCompilable();
    }
  }
  return { text: columns.length ? `SELECT ${columns.join(', ')}` : undefined, values: sql.values, roots };
}

interface OperationInfo {
  /**
   * The operation's variable coercion; null when a root field of the operation is none that
   * this module serves: its variables are then left for the executor alone to coerce.
   */
  coerce: Coerce | null;
  fragments: Record<string, FragmentDefinitionNode>;
  /**
   * Variables the statement's text depends on: all but those only passed to a served root
   * field's parameters (a lookup's id, a write's input).
   */
  shaping: string[];
  /** What was compiled, by values of the shaping variables; null: not compilable. */
  compiled: Map<string, unknown>;
}

/** Distinct statements remembered per operation: each combination of shaping values is one. */
const MAX_PER_OPERATION = 50;

const operations = new WeakMap<OperationDefinitionNode, OperationInfo>();

/** Whether a root field of an operation of this kind can be served here. */
const servedRoot: Partial<Record<OperationTypeNode, (schema: GraphQLSchema, field: string) => boolean>> = {
  [OperationTypeNode.QUERY]: (schema, name) => {
    const field = schema.getQueryType()?.getFields()[name];
    return name === '__typename' || (field !== undefined && (treeLookupOf(field) ?? treeRootListOf(field)) !== undefined);
  },
  [OperationTypeNode.MUTATION]: (schema, name) => {
    const field = schema.getMutationType()?.getFields()[name];
    return field !== undefined && treeWriteOf(field) !== undefined;
  },
};

/** Arguments of a root field that only feed parameters of its statement: a lookup's id, a list's scope, a write's input. */
function parameterArguments(schema: GraphQLSchema, operation: OperationTypeNode, name: string): (arg: string) => boolean {
  if (operation === OperationTypeNode.MUTATION) return () => true;
  const field = schema.getQueryType()?.getFields()[name];
  const parameter = field && (treeLookupOf(field)?.idArg ?? treeRootListOf(field)?.scopeArg);
  return (arg) => arg === parameter;
}

function operationInfo(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): OperationInfo {
  let info = operations.get(operation);
  if (info) return info;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  const uses = new Map<string, number>();
  const count = (name: string, n: number) => uses.set(name, (uses.get(name) ?? 0) + n);
  const countUses = { Variable: (node: { name: { value: string } }) => void count(node.name.value, 1) };
  for (const definition of [operation, ...Object.values(fragments)]) {
    visit(definition.kind === Kind.OPERATION_DEFINITION ? definition.selectionSet : definition, countUses);
  }
  const served = servedRoot[operation.operation];
  let servable = served !== undefined;
  for (const selection of operation.selectionSet.selections) {
    // A fragment's root fields are known once it is collected, with the variables.
    if (selection.kind !== Kind.FIELD) continue;
    servable &&= served!(schema, selection.name.value);
    const parameter = parameterArguments(schema, operation.operation, selection.name.value);
    for (const arg of selection.arguments ?? []) {
      if (arg.value.kind === Kind.VARIABLE && parameter(arg.name.value)) count(arg.value.name.value, -1);
    }
  }
  const coerce = servable ? variableCoercer(schema, operation.variableDefinitions ?? []) : null;
  info = { coerce, fragments, shaping: [...uses].filter(([, n]) => n > 0).map(([name]) => name), compiled: new Map() };
  operations.set(operation, info);
  return info;
}

/** An operation this module may serve, with its variables coerced and its compilation cache. */
export interface Prepared {
  ctx: Context;
  operation: OperationDefinitionNode;
  sel: Selection;
  /** What `compile` gives for these shaping values, remembered; null when it throws. */
  compiled<T>(compile: () => T): T | null;
}

/**
 * Undefined for an operation with a root field served by neither query-as-json.ts nor
 * mutation-as-json.ts, or with bad variables (the executor reports them).
 */
export function prepare(args: ExecutionArgs): Prepared | undefined {
  const { schema, document, operationName } = args;
  const operation = getOperationAST(document, operationName);
  if (!operation) return undefined;
  const info = operationInfo(schema, document, operation);
  if (!info.coerce) return undefined;
  const variableValues = info.coerce((args.variableValues ?? {}) as Record<string, unknown>);
  if (!variableValues) return undefined;
  const key = JSON.stringify(info.shaping.map((name) => variableValues[name]));
  const sel: Selection = { schema, fragments: info.fragments, variableValues };
  return {
    ctx: args.contextValue as Context,
    operation,
    sel,
    compiled<T>(compile: () => T): T | null {
      let compiled = info.compiled.get(key) as T | null | undefined;
      if (compiled === undefined) {
        try {
          compiled = compile();
        } catch {
          // Not compilable, or an argument the executor will report (e.g. `first` out of range).
          compiled = null;
        }
        if (info.compiled.size < MAX_PER_OPERATION) info.compiled.set(key, compiled);
      }
      return compiled;
    },
  };
}

function validArguments(args: Record<string, unknown>): boolean {
  try {
    checkArguments(args);
    return true;
  } catch {
    return false;
  }
}

/**
 * The response to a query, `{"data":{...}}`, as text; undefined when the query is not one this
 * module compiles (another root field than a lookup or a list, a selection needing a resolver, bad
 * variables, a missing scope), so that the executor answers it, errors included.
 */
export async function queryAsJson(prepared: Prepared): Promise<string | undefined> {
  const { ctx, sel, operation } = prepared;
  const compiled = prepared.compiled(() => compile(sel, operation));
  if (!compiled) return undefined;
  const values = [...compiled.values];
  for (const { read } of compiled.roots) {
    if (!read) continue;
    if (!ctx.auth.scopes.has(requiredScope('Query', read.field.name))) return undefined;
    const args = getArgumentValues(read.field, read.node, sel.variableValues);
    // Bad input is the executor's to report, at the field that took it.
    if (!validArguments(args)) return undefined;
    const value = String(args[read.arg]);
    for (const slot of read.slots) values[slot] = !read.lookup || read.lookup.possibleId(value) ? value : null;
  }
  const row: Record<string, string | null> = compiled.text
    ? (await ctx.db.pool.query(preparedStatement(compiled.text, values))).rows[0]
    : {};
  const entries = compiled.roots.map(
    ({ key: responseKey, typename, read }) => `${JSON.stringify(responseKey)}:${typename ?? row[read!.column] ?? 'null'}`,
  );
  return `{"data":{${entries.join(',')}}}`;
}
