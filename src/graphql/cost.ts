// What a query may cost, for the cost limit (server/use-cost-limit.ts): the number of context-tree
// rows (customers, services, states, tasks: the Node types) it can return when every page is
// full. Scalars and embedded objects (events, attribute values) ride in the same row and cost
// nothing; a connection multiplies what it selects by its page size (`first`, or the default
// page size the loader will use); any other list is assumed to hold ten items.
import { getNamedType, isInterfaceType, isListType, isNonNullType, isObjectType, type GraphQLField, type GraphQLOutputType } from 'graphql';
import { DEFAULT_PAGE_SIZE } from '../tree/compile.js';
import type { Context } from './context.js';

const ASSUMED_LIST_SIZE = 10;
// The lists inside a connection are its page, already counted by the connection's multiplier.
const PAGE_FIELDS = new Set(['edges', 'nodes']);

function isRow(type: GraphQLOutputType): boolean {
  const named = getNamedType(type);
  if (isInterfaceType(named)) return named.name === 'Node';
  return isObjectType(named) && named.getInterfaces().some((i) => i.name === 'Node');
}

function isList(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

export function fieldCost(
  args: Record<string, unknown>,
  _ctx: Context,
  field: GraphQLField<unknown, Context>,
): { field: number; multiplier: number } {
  const row = isRow(field.type) ? 1 : 0;
  if (field.args.some((arg) => arg.name === 'first')) {
    const first = typeof args.first === 'number' ? args.first : DEFAULT_PAGE_SIZE;
    return { field: row, multiplier: Math.max(first, 0) };
  }
  if (isList(field.type) && !PAGE_FIELDS.has(field.name)) {
    return { field: row * ASSUMED_LIST_SIZE, multiplier: ASSUMED_LIST_SIZE };
  }
  return { field: row, multiplier: 1 };
}
