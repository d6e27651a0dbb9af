// Refuses an operation whose cost (graphql/cost.ts: list items it may return with every page full)
// exceeds MAX_COST, before execution, so no SQL runs (QUERY_LIMIT_EXCEEDED, HTTP 400).
// Checked at execution time rather than validation because page sizes usually come in variables,
// and validation results are cached per document. The cost depends on nothing but the document
// and the variables given to COST_ARGUMENTS (and to directives, should the complexity ever honour
// @skip/@include), so it is remembered per operation and values of those variables: the same
// operation costs one Map lookup the next time. Meta fields (`__typename`, which Apollo Client and
// urql add to every selection) return no list items and cost nothing.
import { complexityFromQuery } from '@pothos/plugin-complexity';
import {
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  GraphQLError,
  getOperationAST,
  Kind,
  type OperationDefinitionNode,
  visit,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { COST_ARGUMENTS } from '../graphql/cost.js';
import { limitExceeded } from './use-abuse-limits.js';

/** Distinct costs remembered per operation: each page size sent is one. */
const MAX_COSTS_PER_OPERATION = 100;
/** Costs computed for long values (identifyCustomers' attributes) are not kept: they rarely recur. */
const MAX_COST_KEY_CHARS = 4096;

interface OperationCosts {
  /** The operation alone: complexityFromQuery measures the first operation of a document. */
  document: DocumentNode;
  /** Variables the cost depends on. */
  variables: string[];
  costs: Map<string, number>;
}

const operations = new WeakMap<DocumentNode, Map<string, OperationCosts>>();

function costVariables(document: DocumentNode): string[] {
  const names = new Set<string>();
  let inDirective = 0;
  visit(document, {
    Directive: { enter: () => void inDirective++, leave: () => void inDirective-- },
    Argument(node) {
      if (node.value.kind === Kind.VARIABLE && (inDirective > 0 || COST_ARGUMENTS.has(node.name.value))) names.add(node.value.name.value);
    },
  });
  return [...names];
}

/** The document without `__typename`, `__schema` and `__type`, which complexityFromQuery would charge 1 each. */
function withoutMetaFields(document: DocumentNode): DocumentNode {
  return visit(document, {
    Field: (node) => (node.name.value.startsWith('__') ? null : undefined),
  });
}

function operationCosts(source: DocumentNode, operation: OperationDefinitionNode): OperationCosts {
  let byName = operations.get(source);
  if (!byName) operations.set(source, (byName = new Map()));
  const key = operation.name?.value ?? '';
  let entry = byName.get(key);
  if (!entry) {
    const document = withoutMetaFields({
      ...source,
      definitions: source.definitions.filter((d) => d.kind !== Kind.OPERATION_DEFINITION || d === operation),
    });
    entry = { document, variables: costVariables(document), costs: new Map() };
    byName.set(key, entry);
  }
  return entry;
}

export function useCostLimit(maxCost: number): Plugin {
  /** The refusal of an operation over the limit, or undefined. */
  function refusal(args: ExecutionArgs): ExecutionResult | undefined {
    const operation = getOperationAST(args.document, args.operationName);
    if (!operation) return undefined;
    const entry = operationCosts(args.document, operation);
    const variables = (args.variableValues ?? {}) as Record<string, unknown>;
    const key = JSON.stringify(entry.variables.map((name) => variables[name]));
    let cost = entry.costs.get(key);
    if (cost === undefined) {
      try {
        cost = complexityFromQuery(entry.document, { schema: args.schema, variables, ctx: args.contextValue as object }).complexity;
      } catch (error) {
        // Bad variables: execution reports them with the usual BAD_USER_INPUT.
        if (error instanceof GraphQLError) return undefined;
        throw error;
      }
      if (entry.costs.size < MAX_COSTS_PER_OPERATION && key.length <= MAX_COST_KEY_CHARS) entry.costs.set(key, cost);
    }
    if (cost <= maxCost) return undefined;
    return {
      errors: [
        limitExceeded(
          'cost',
          `Query cost limit of ${maxCost} exceeded, found ${cost}: the cost is the number of list items the query may return with every page full; ask for smaller pages (first) or fewer nested lists.`,
        ),
      ],
    };
  }
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const refused = refusal(args);
      if (refused) setResultAndStopExecution(refused);
    },
    // A subscription pays its selection at every event: it is refused before it starts.
    onSubscribe({ args, setResultAndStopExecution }) {
      const refused = refusal(args);
      if (refused) setResultAndStopExecution(refused);
    },
  };
}
