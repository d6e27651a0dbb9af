// A mutation of one write whose payload carries tree rows (start*, associateService, complete*,
// transitionState) runs that write without the executor: its statement RETURNS each payload row
// exactly as the response carries it, as JSON text (the selection compiled like a query's, see
// query-as-json.ts), spliced into the response unparsed. The executor's work on a write
// (coercing the input again, resolving the payload field by field, parsing the row and
// stringifying it) cost as much as the write's own statement. A selection with pages or links
// is left to the executor: RETURNING sees the tables as they were before the statement.
import {
  type FieldNode,
  type GraphQLError,
  type GraphQLField,
  type GraphQLObjectType,
  getArgumentValues,
  getNamedType,
  locatedError,
} from 'graphql';
import { requiredScope } from '../auth/scopes.js';
import { checkArguments } from '../graphql/input-text.js';
import { collectRootFields, collectSubfields, type Selection } from './collect-fields.js';
import { SqlBuilder } from './compile.js';
import type { TreeNode } from './node.js';
import { type Returnings, type TreeWrite, treeWriteOf } from './payload.js';
import { planNode } from './plan.js';
import { notCompilable, objectSql, type Prepared } from './query-as-json.js';

interface CompiledWrite {
  key: string;
  field: GraphQLField<unknown, unknown>;
  nodes: FieldNode[];
  write: TreeWrite;
  /** The payload's response keys in order, each with `__typename`'s JSON or the payload field. */
  parts: [key: string, part: { typename: string } | { field: string }][];
  /** SQL of each selected payload row by table alias; flat selections take no parameters. */
  rows: Map<string, (alias: string) => string>;
}

function rowText(sel: Selection, node: TreeNode, nodes: FieldNode[]): (alias: string) => string {
  const plan = planNode(sel, node, nodes);
  if (plan.connections.size > 0 || plan.objects.size > 0) notCompilable();
  const byAlias = new Map<string, string>();
  const text = (alias: string) => {
    let sql = byAlias.get(alias);
    if (sql === undefined) {
      const builder = new SqlBuilder();
      sql = `(${objectSql(sel, node, nodes, alias, builder)})::text`;
      // Kept per alias for any request: so it must not carry parameters of its own.
      if (builder.values.length > 0) notCompilable();
      byAlias.set(alias, sql);
    }
    return sql;
  };
  text(node.table);
  return text;
}

function compile(sel: Selection, rootFields: Map<string, FieldNode[]>): CompiledWrite {
  const mutationType = sel.schema.getMutationType()!;
  if (rootFields.size !== 1) notCompilable();
  const [[key, nodes]] = rootFields;
  const field = mutationType.getFields()[nodes[0].name.value];
  const write = treeWriteOf(field) ?? notCompilable();
  const payloadType = getNamedType(field.type) as GraphQLObjectType;
  const parts: CompiledWrite['parts'] = [];
  const rows = new Map<string, (alias: string) => string>();
  for (const [partKey, partNodes] of collectSubfields(sel, payloadType, nodes)) {
    const name = partNodes[0].name.value;
    if (name === '__typename') {
      parts.push([partKey, { typename: JSON.stringify(payloadType.name) }]);
      continue;
    }
    // One RETURNING per payload field: the same field twice under aliases is the executor's.
    if (rows.has(name)) notCompilable();
    rows.set(name, rowText(sel, write.payload[name] ?? notCompilable(), partNodes));
    parts.push([partKey, { field: name }]);
  }
  return { key, field, nodes, write, parts, rows };
}

/** The row a write returned for `field` as text; a write that answered an id instead is a bug. */
function rowJson(payload: Record<string, unknown>, field: string): string {
  const value = payload[field];
  if (typeof value === 'string' && value.startsWith('{')) return value;
  throw new Error(`the write returned no JSON row for payload field ${field}: give its rule the returning it was passed`);
}

export type WriteAnswer = { text: string } | { errors: readonly GraphQLError[] };

/**
 * The response to a mutation of one tree write: its text, or the write's error located as the
 * executor locates it; undefined when the mutation is not one this module runs (nothing ran,
 * and the executor answers it).
 */
export async function mutationAsJson(prepared: Prepared): Promise<WriteAnswer | undefined> {
  const { ctx, sel, operation } = prepared;
  const compiled = prepared.compiled(() => compile(sel, collectRootFields(sel, sel.schema.getMutationType()!, operation.selectionSet)));
  if (!compiled) return undefined;
  if (!ctx.auth.scopes.has(requiredScope('Mutation', compiled.field.name))) return undefined;
  let fieldArgs: Record<string, unknown>;
  try {
    fieldArgs = getArgumentValues(compiled.field, compiled.nodes[0], sel.variableValues);
  } catch {
    return undefined;
  }
  const returning: Returnings<string> = Object.fromEntries(compiled.rows);
  let payload: Record<string, unknown>;
  try {
    checkArguments(fieldArgs);
    payload = await compiled.write.run(ctx, fieldArgs, returning);
  } catch (error) {
    return { errors: [locatedError(error, compiled.nodes, [compiled.key])] };
  }
  const parts = compiled.parts.map(
    ([key, part]) => `${JSON.stringify(key)}:${'typename' in part ? part.typename : rowJson(payload, part.field)}`,
  );
  return { text: `{"data":{${JSON.stringify(compiled.key)}:{${parts.join(',')}}}}` };
}
