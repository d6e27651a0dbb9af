// What a query may cost, for the cost limit (server/use-cost-limit.ts): the number of list items
// it can return when every page is full. A connection multiplies what it selects by its page
// size (`first`, or the default page size the loader will use); its `edges`/`nodes` are the page
// itself; any other list is assumed to hold ten items. Single objects (a root lookup, a link back
// to a parent, an event) add nothing: the tree loader fetches them with the row they belong to,
// and aliases bound how many root lookups one document can make.
import { type GraphQLField, type GraphQLOutputType, isListType, isNonNullType } from 'graphql';
import type { Context } from './context.js';
import { DEFAULT_PAGE_SIZE } from './page-size.js';

const ASSUMED_LIST_SIZE = 10;

/** Arguments whose values a field's cost depends on: the cost limit remembers costs per their values. */
export const COST_ARGUMENTS = new Set(['first', 'attributes']);
const PAGE_FIELDS = new Set(['edges', 'nodes']);

function isList(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

export function fieldCost(
  args: Record<string, unknown>,
  _ctx: Context,
  field: GraphQLField<unknown, Context>,
): { field: number; multiplier: number } {
  if (field.args.some((arg) => arg.name === 'first')) {
    const first = typeof args.first === 'number' ? args.first : DEFAULT_PAGE_SIZE;
    return { field: 0, multiplier: Math.max(first, 0) };
  }
  if (isList(field.type)) {
    const items = PAGE_FIELDS.has(field.name) ? 1 : ASSUMED_LIST_SIZE;
    return { field: items, multiplier: items };
  }
  return { field: 0, multiplier: 1 };
}
