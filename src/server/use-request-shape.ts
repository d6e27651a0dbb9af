// Requests malformed in ways no GraphQL error covers get a 400 saying what is wrong (BAD_REQUEST),
// before any plugin or resolver walks them: a batch item that is not an object; variables or
// extensions nested deeper than MAX_INPUT_DEPTH, which a recursive walk would overflow the stack
// on; GET or form parameters `variables`/`extensions` that are not JSON. Yoga's own answer to an
// invalid JSON body is kept, but in production without the parser's message it adds.
import { GraphQLError } from 'graphql';
import type { GraphQLParams, Plugin } from 'graphql-yoga';
import { requestError } from './request-errors.js';

/** Deepest nesting of objects and arrays accepted in variables and extensions. */
export const MAX_INPUT_DEPTH = 64;

const badRequest = (message: string) => requestError('BAD_REQUEST', 400, message);

/** Whether `root` nests objects or arrays more than `limit` levels deep; without recursion. */
function nestedDeeperThan(root: unknown, limit: number): boolean {
  if (typeof root !== 'object' || root === null) return false;
  const values: object[] = [root];
  const depths: number[] = [1];
  while (values.length > 0) {
    const value = values.pop() as Record<string, unknown>;
    const depth = depths.pop()!;
    if (depth > limit) return true;
    for (const key in value) {
      const child = value[key];
      if (typeof child === 'object' && child !== null) {
        values.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}

function checkParams(params: unknown, where: string): void {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    throw badRequest(`${where} is not a GraphQL request: send an object with "query" (or a persisted query id) and optional "variables"`);
  }
  const { variables, extensions } = params as GraphQLParams;
  for (const [name, value] of [
    ['variables', variables],
    ['extensions', extensions],
  ] as const) {
    if (nestedDeeperThan(value, MAX_INPUT_DEPTH)) throw badRequest(`${where}: ${name} are nested deeper than ${MAX_INPUT_DEPTH} levels`);
  }
}

/** The parameters `variables` and `extensions` of a GET URL that are not JSON. */
function nonJsonParameters(url: string): string[] {
  const search = new URL(url).searchParams;
  return ['variables', 'extensions'].filter((name) => {
    const value = search.get(name);
    if (!value) return false;
    try {
      JSON.parse(value);
      return false;
    } catch {
      return true;
    }
  });
}

export function useRequestShape({ production }: { production: boolean }): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser }) {
      if (requestParser) {
        const parse = requestParser;
        setRequestParser(async (parsed) => {
          try {
            return await parse(parsed);
          } catch (error) {
            // JSON.parse of a GET or form parameter.
            if (error instanceof SyntaxError) {
              const names = request.method === 'GET' ? nonJsonParameters(request.url) : [];
              throw badRequest(`${names.length ? names.join(' and ') : 'variables and extensions'} must be JSON`);
            }
            if (production && error instanceof GraphQLError && error.extensions.originalError) throw badRequest(error.message);
            throw error;
          }
        });
      }
      return {
        onRequestParseDone({ requestParserResult }) {
          if (!Array.isArray(requestParserResult)) checkParams(requestParserResult, 'the request');
          else for (const [i, params] of requestParserResult.entries()) checkParams(params, `batch item ${i}`);
        },
      };
    },
  };
}
