// Answers the queries query-as-json.ts compiles with the JSON text PostgreSQL built, spliced into
// the response by the result's own `stringify` (which Yoga calls instead of JSON.stringify).
// Every other operation, and a compiled one that fails for any reason, runs through the executor,
// which gives the errors their usual codes and paths.
import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { queryAsJson } from '../tree/query-as-json.js';

/** A result whose `data` is parsed only if some consumer reads it. */
function splicedResult(text: string): ExecutionResult & { stringify: (result: ExecutionResult) => string } {
  let data: ExecutionResult['data'];
  return {
    get data() {
      return (data ??= (JSON.parse(text) as ExecutionResult).data);
    },
    // A plugin that added errors or extensions to the result gets them serialised as usual.
    stringify: (result) => (result.errors || result.extensions ? JSON.stringify(result) : text),
  };
}

export function useQueryAsJson(enabled: boolean): Plugin {
  return {
    onExecute({ executeFn, setExecuteFn }) {
      if (!enabled) return;
      setExecuteFn(async (args) => {
        const text = await queryAsJson(args).catch(() => undefined);
        return text === undefined ? executeFn(args) : splicedResult(text);
      });
    },
  };
}
