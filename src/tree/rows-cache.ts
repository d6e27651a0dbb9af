// The SQL of a root lookup (customer, service, node...) depends on the selection under the field
// and on the variables used inside it, never on the lookup's own arguments, which only feed the
// WHERE clause's parameters. So it is built once per field of a cached document and values of
// those variables, and each request only adds its WHERE parameters: look-ahead planning and SQL
// building were a tenth of the agent-desktop read's CPU, and the same statement text (the same
// string) also makes its prepared-statement name a cheap lookup.
import { type ASTNode, type FieldNode, type GraphQLResolveInfo, visit } from 'graphql';
import { rowSql, SqlBuilder } from './compile.js';
import type { TreeNode } from './node.js';
import { planNode } from './plan.js';

/** Distinct statements remembered per field: each combination of variable values is one. */
const MAX_PER_FIELD = 50;

interface Compiled {
  /** The root table's alias. */
  alias: string;
  /** Parameters of the row part; the WHERE clause's follow them. */
  values: unknown[];
  /** Aliases the row part used, so the WHERE clause's subqueries take fresh ones. */
  aliases: number;
  /** The WHERE clause it was built with, and the whole text. */
  where: string;
  text: string;
}

const byField = new WeakMap<FieldNode, Map<string, Compiled>>();
const variablesByField = new WeakMap<FieldNode, string[]>();

/** Variables used anywhere below the field (arguments, directives), through fragments. */
function selectionVariables(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>): string[] {
  let names = variablesByField.get(info.fieldNodes[0]);
  if (names) return names;
  const found = new Set<string>();
  const seen = new Set<string>();
  const walk = (node: ASTNode) =>
    visit(node, {
      Variable: (variable) => void found.add(variable.name.value),
      FragmentSpread(spread) {
        const fragment = info.fragments[spread.name.value];
        if (fragment && !seen.has(spread.name.value)) {
          seen.add(spread.name.value);
          walk(fragment.selectionSet);
        }
      },
    });
  for (const field of info.fieldNodes) {
    for (const directive of field.directives ?? []) walk(directive);
    if (field.selectionSet) walk(field.selectionSet);
  }
  names = [...found];
  variablesByField.set(info.fieldNodes[0], names);
  return names;
}

/**
 * `SELECT` of the `node` rows matching `where`, with everything selected under the current
 * field, and its parameters.
 */
export function selectRows(
  info: GraphQLResolveInfo,
  node: TreeNode,
  where: (alias: string, sql: SqlBuilder) => string,
): { text: string; values: unknown[] } {
  const key = `${node.typeName}:${JSON.stringify(selectionVariables(info).map((name) => info.variableValues[name]))}`;
  let cache = byField.get(info.fieldNodes[0]);
  if (!cache) byField.set(info.fieldNodes[0], (cache = new Map()));
  const hit = cache.get(key);
  if (hit) {
    const sql = new SqlBuilder([...hit.values], hit.aliases);
    // The same call site gives the same clause; anything else is built afresh below.
    if (where(hit.alias, sql) === hit.where) return { text: hit.text, values: sql.values };
  }
  const sql = new SqlBuilder();
  const alias = sql.alias();
  const row = rowSql(planNode(info, node, [...info.fieldNodes]), alias, sql);
  const rowValues = [...sql.values];
  const rowAliases = sql.aliasCount;
  const clause = where(alias, sql);
  const text = `SELECT ${row} AS j FROM ${node.table} ${alias} WHERE ${clause}`;
  if (!hit && cache.size < MAX_PER_FIELD) cache.set(key, { alias, values: rowValues, aliases: rowAliases, where: clause, text });
  return { text, values: sql.values };
}
