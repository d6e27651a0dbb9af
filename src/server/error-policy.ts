// Applies the error policy of graphql/errors.ts to every result: domain errors pass as they are,
// GraphQL's own input errors get BAD_USER_INPUT, a database that cannot be reached or does not
// answer in time gets SERVICE_UNAVAILABLE (HTTP 503, Retry-After), anything else is logged with
// its cause and replaced by INTERNAL_SERVER_ERROR carrying the request id, so no SQL, stack or
// path leaks.

import { handleStreamOrSingleExecutionResult } from '@envelop/core';
import { type ASTNode, BREAK, type DocumentNode, type ExecutionResult, GraphQLError, Kind, visit } from 'graphql';
import { type MaskError, maskError, type Plugin } from 'graphql-yoga';
import { isDatabaseUnavailable, RequestAbortedError } from '../db/unavailable.js';
import type { Context } from '../graphql/context.js';
import { DomainError, ScalarInputError, serviceUnavailable } from '../graphql/errors.js';
import type { Logger } from '../logger.js';
import { requestInfo } from '../observability/request-info.js';

// graphql-js reports a bad variable as: Variable "$input" got invalid value 1 at "input.x"; ...
// (no `at` when the variable itself is the object), and a missing or unknown input field at the
// path of the object that should (not) hold it.
const VARIABLE = /^Variable "\$(\w+)"(?: got invalid value .*? at "([^"]+)";)?/s;
const OBJECT_FIELD = /; Field "(\w+)" (?:of required type .* was not provided|is not defined by type)/s;

function inputField(error: GraphQLError): string | undefined {
  const match = VARIABLE.exec(error.message);
  if (!match) return undefined;
  const at = match[2] ?? match[1];
  const field = OBJECT_FIELD.exec(error.message)?.[1];
  return field ? `${at}.${field}` : at;
}

/**
 * Where a literal sits in the document's input: `input.timestamp` for a value inside an argument,
 * `x` for a variable's default value; list items by index.
 */
function literalField(document: DocumentNode, target: ASTNode): string | undefined {
  const path: string[] = [];
  const named: boolean[] = [];
  let field: string | undefined;
  visit(document, {
    enter(node, key) {
      let name: string | undefined;
      if (node.kind === Kind.ARGUMENT || node.kind === Kind.OBJECT_FIELD) name = node.name.value;
      else if (node.kind === Kind.VARIABLE_DEFINITION) name = node.variable.name.value;
      // Of the nodes held in arrays, only the items of a list value are values.
      else if (typeof key === 'number' && node.kind.endsWith('Value')) name = String(key);
      named.push(name !== undefined);
      if (name !== undefined) path.push(name);
      if (node === target) {
        field = path.join('.');
        return BREAK;
      }
    },
    leave() {
      if (named.pop()) path.pop();
    },
  });
  return field;
}

/** A copy of `error` with a new message and extensions, keeping where it happened. */
function withPolicy(error: GraphQLError, message: string, extensions: Record<string, unknown>): GraphQLError {
  return new GraphQLError(message, { nodes: error.nodes, path: error.path, extensions });
}

/** What a resolver or scalar threw, under the GraphQLErrors graphql-js may have wrapped it in. */
function causeOf(error: GraphQLError): Error | undefined {
  let cause = error.originalError;
  while (cause instanceof GraphQLError && !(cause instanceof DomainError) && cause.originalError) cause = cause.originalError;
  return cause;
}

export function classify(error: GraphQLError, ctx: Pick<Context, 'requestId' | 'logger'>): GraphQLError {
  const cause = causeOf(error);
  if (cause instanceof DomainError || cause instanceof ScalarInputError) {
    const extensions = { ...cause.extensions };
    // A scalar cannot know where it sits in the input; the executor's path can.
    if (extensions.field === '') extensions.field = inputField(error) ?? '';
    return withPolicy(error, cause.message, extensions);
  }
  if (!cause || cause instanceof GraphQLError) {
    if (error.extensions?.code) return error;
    const field = inputField(error);
    return withPolicy(error, error.message, { ...error.extensions, code: 'BAD_USER_INPUT', ...(field ? { field } : {}) });
  }
  if (isDatabaseUnavailable(cause)) {
    if (cause instanceof RequestAbortedError) ctx.logger.info({ requestId: ctx.requestId }, 'request abandoned by its client');
    else ctx.logger.warn({ requestId: ctx.requestId, err: cause, path: error.path }, 'database unavailable');
    const unavailable = serviceUnavailable(ctx.requestId);
    return withPolicy(error, unavailable.message, unavailable.extensions);
  }
  ctx.logger.error({ requestId: ctx.requestId, err: cause, path: error.path }, 'unexpected error');
  return withPolicy(error, 'Unexpected error.', { code: 'INTERNAL_SERVER_ERROR', requestId: ctx.requestId });
}

/**
 * Yoga's masking of an unexpected error, keeping that error as `originalError` (which is never
 * serialised) so that the error policy can log the cause with the request id.
 */
export const maskKeepingCause: MaskError = (error, message, isDev) => {
  const masked = maskError(error, message, isDev);
  if (masked === error || !(masked instanceof GraphQLError) || !(error instanceof Error)) return masked;
  return new GraphQLError(masked.message, { nodes: masked.nodes, path: masked.path, extensions: masked.extensions, originalError: error });
};

/** An unexpected error the server masked outside execution (a hook that failed): it lacks the request id. */
const unidentified = (error: GraphQLError) => error.extensions?.code === 'INTERNAL_SERVER_ERROR' && !error.extensions.requestId;

export function useErrorPolicy(logger: Logger): Plugin<Context> {
  return {
    // What failed before or around execution is masked by Yoga as INTERNAL_SERVER_ERROR: it gets
    // the request id too, and a log line naming the request with the cause.
    onResultProcess({ request, result, setResult }) {
      if (Symbol.asyncIterator in result) return;
      const results = (Array.isArray(result) ? result : [result]) as ExecutionResult[];
      if (!results.some((r) => r.errors?.some(unidentified))) return;
      const { id } = requestInfo(request);
      const identified = (r: ExecutionResult): ExecutionResult => {
        if (!r.errors?.some(unidentified)) return r;
        const errors = r.errors.map((e) => {
          if (!unidentified(e)) return e;
          logger.error({ requestId: id, err: e.originalError ?? e }, 'unexpected error');
          return new GraphQLError(e.message, { nodes: e.nodes, path: e.path, extensions: { ...e.extensions, requestId: id } });
        });
        return { ...r, errors };
      };
      setResult(Array.isArray(result) ? results.map(identified) : identified(result as ExecutionResult));
    },
    onExecute() {
      return {
        onExecuteDone({ result, setResult, args }) {
          if (!('errors' in result) || !result.errors?.length) return;
          const ctx = args.contextValue as Context;
          setResult({ ...result, errors: result.errors.map((e) => classify(e, ctx)) });
        },
      };
    },
    // A subscription's refusal, and each event's result.
    onSubscribe() {
      return {
        onSubscribeResult: (payload) =>
          handleStreamOrSingleExecutionResult(payload, ({ result, setResult, args }) => {
            if (!result.errors?.length) return;
            const ctx = args.contextValue as Context;
            setResult({ ...result, errors: result.errors.map((e) => classify(e, ctx)) });
          }),
      };
    },
    onValidate({ params }) {
      return ({ valid, result, setResult }) => {
        if (valid) return;
        setResult(
          result.map((e) => {
            // A literal a scalar refused: its own message, and where it sits in the input.
            if (e.originalError instanceof ScalarInputError && e.nodes?.[0]) {
              const field = literalField(params.documentAST, e.nodes[0]) ?? '';
              return new GraphQLError(e.originalError.message, { nodes: e.nodes, extensions: { ...e.originalError.extensions, field } });
            }
            return new GraphQLError(e.message, {
              nodes: e.nodes,
              extensions: { ...e.extensions, code: e.extensions.code ?? 'BAD_USER_INPUT' },
            });
          }),
        );
      };
    },
  };
}
