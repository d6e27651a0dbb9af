// Refuses an operation whose cost (graphql/cost.ts: list items it may return with every page full)
// exceeds MAX_COST, before execution, so no SQL runs (QUERY_LIMIT_EXCEEDED, HTTP 400).
// Checked at execution time rather than validation because page sizes usually come in variables,
// and validation results are cached per document.
import { complexityFromQuery } from '@pothos/plugin-complexity';
import { GraphQLError, Kind, getOperationAST, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { limitExceeded } from './use-abuse-limits.js';

export function useCostLimit(maxCost: number): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const source = args.document as DocumentNode;
      const operation = getOperationAST(source, args.operationName);
      if (!operation) return;
      // complexityFromQuery measures the first operation of a document: give it only the chosen one.
      const document: DocumentNode = {
        ...source,
        definitions: source.definitions.filter((d) => d.kind !== Kind.OPERATION_DEFINITION || d === operation),
      };
      let cost: number;
      try {
        cost = complexityFromQuery(document, {
          schema: args.schema,
          variables: (args.variableValues ?? {}) as Record<string, unknown>,
          ctx: args.contextValue as object,
        }).complexity;
      } catch (error) {
        // Bad variables: execution reports them with the usual BAD_USER_INPUT.
        if (error instanceof GraphQLError) return;
        throw error;
      }
      if (cost > maxCost) {
        setResultAndStopExecution({
          errors: [
            limitExceeded(
              'cost',
              `Query cost limit of ${maxCost} exceeded, found ${cost}: the cost is the number of list items the query may return with every page full; ask for smaller pages (first) or fewer nested lists.`,
            ),
          ],
        });
      }
    },
  };
}
