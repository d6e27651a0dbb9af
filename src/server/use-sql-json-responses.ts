// Answers the operations query-as-json.ts and mutation-as-json.ts compile with the JSON text
// PostgreSQL built, spliced into the response by the result's own `stringify` (which Yoga calls
// instead of JSON.stringify). Every other operation runs through the executor, which gives
// errors their usual codes and paths; so does a compiled query that fails for any reason but an
// unavailable database (which fails the whole operation at once). A
// compiled mutation reports its write's error itself: running it again could write twice.
import { type ExecutionResult, GraphQLError, OperationTypeNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { isDatabaseUnavailable } from '../db/unavailable.js';
import { mutationAsJson } from '../tree/mutation-as-json.js';
import { prepare, queryAsJson } from '../tree/query-as-json.js';

/**
 * A result whose `data` is parsed only if some consumer reads it. A class rather than an object
 * literal: a literal with a getter is built by a runtime call, on every request.
 */
export class SplicedResult implements ExecutionResult {
  readonly #text: string;
  #data: ExecutionResult['data'];

  constructor(text: string) {
    this.#text = text;
  }

  get data(): ExecutionResult['data'] {
    return (this.#data ??= (JSON.parse(this.#text) as ExecutionResult).data);
  }

  // Yoga calls it unbound, with this result or, when it strips internals from errors, a copy of
  // its own properties (which lacks `data`). A plugin that added errors or extensions gets them
  // serialised as usual.
  readonly stringify = (result: ExecutionResult): string =>
    result.errors || result.extensions ? JSON.stringify({ data: this.data, ...result }) : this.#text;
}

/** `onFallback` is told of each compiled query the executor answered because its statement failed. */
export function useSqlJsonResponses(enabled: boolean, onFallback: () => void): Plugin {
  return {
    onExecute({ executeFn, setExecuteFn }) {
      if (!enabled) return;
      setExecuteFn(async (args) => {
        const prepared = prepare(args);
        if (prepared?.operation.operation === OperationTypeNode.QUERY) {
          let unavailable: GraphQLError | undefined;
          const query = await queryAsJson(prepared).catch((error: unknown) => {
            // A database that is not there would fail the executor too, after as long a wait.
            if (isDatabaseUnavailable(error)) {
              unavailable = new GraphQLError((error as Error).message, { originalError: error as Error });
              return undefined;
            }
            // The executor still answers; the log says the fast path has a gap to look at.
            prepared.ctx.logger.warn(
              { requestId: prepared.ctx.requestId, err: error },
              'query not answered as JSON text; the executor answers it',
            );
            onFallback();
            return undefined;
          });
          if (unavailable) return { errors: [unavailable] };
          if (query !== undefined) return new SplicedResult(query);
        }
        if (prepared?.operation.operation === OperationTypeNode.MUTATION) {
          const mutation = await mutationAsJson(prepared);
          if (mutation !== undefined)
            return 'text' in mutation ? new SplicedResult(mutation.text) : { errors: mutation.errors, data: null };
        }
        return executeFn(args);
      });
    },
  };
}
