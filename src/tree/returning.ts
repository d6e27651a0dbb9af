// A write can return the row it wrote in the client's selection, sparing the read after it. Only
// for flat selections (no connections or links): subqueries in a RETURNING clause would see the
// tables as they were before the statement, unlike a read after the write.
import { type GraphQLObjectType, type GraphQLResolveInfo, getNamedType } from 'graphql';
import { collectSubfields } from './collect-fields.js';
import { rowSql, SqlBuilder } from './compile.js';
import type { LoadedRow } from './load.js';
import type { TreeNode } from './node.js';
import { planNode } from './plan.js';

/** SQL of the row at `alias` as the client selected it; its parameters are appended to `values`. */
export type Returning = (alias: string, values: unknown[]) => string;

/** How a mutation's write can return the payload field `field`, when that is safe. */
export function returningFor(info: GraphQLResolveInfo, field: string, node: TreeNode): Returning | undefined {
  const payloadType = getNamedType(info.returnType) as GraphQLObjectType;
  const selected = [...collectSubfields(info, payloadType, info.fieldNodes).values()].filter((nodes) => nodes[0].name.value === field);
  if (selected.length !== 1) return undefined;
  const plan = planNode(info, node, selected[0]);
  if (plan.connections.size > 0 || plan.objects.size > 0) return undefined;
  return (alias, values) => rowSql(plan, alias, new SqlBuilder(values));
}

/** `, <row> AS j` for a RETURNING clause over `alias`, or nothing when no row is wanted. */
export function returningColumn(returning: Returning | undefined, alias: string, values: unknown[]): string {
  return returning ? `, ${returning(alias, values)} AS j` : '';
}

/** What a write hands its payload: the row it returned when one was wanted, else the id. */
export function written(row: { id: string; j?: LoadedRow }): string | LoadedRow {
  return row.j ?? row.id;
}
