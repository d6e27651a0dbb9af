// Applies the error policy of graphql/errors.ts to every result: domain errors pass as they are,
// GraphQL's own input errors get BAD_USER_INPUT, anything else is logged with its cause and
// replaced by INTERNAL_SERVER_ERROR carrying the request id, so no SQL, stack or path leaks.
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../graphql/context.js';
import { DomainError } from '../graphql/errors.js';

// graphql-js reports a bad variable as: Variable "$input" got invalid value 1 at "input.x"; ...
const VARIABLE_PATH = /^Variable "\$(\w+)" got invalid value .*? at "([^"]+)";/s;
const VARIABLE_NAME = /^Variable "\$(\w+)"/;

function inputField(error: GraphQLError): string | undefined {
  const match = VARIABLE_PATH.exec(error.message);
  if (match) return match[2];
  return VARIABLE_NAME.exec(error.message)?.[1];
}

export function classify(error: GraphQLError, ctx: Pick<Context, 'requestId' | 'logger'>): GraphQLError {
  const cause = error.originalError;
  if (cause instanceof DomainError) {
    const extensions = { ...cause.extensions };
    // A scalar cannot know where it sits in the input; the executor's path can.
    if (extensions.field === '') extensions.field = inputField(error) ?? '';
    return new GraphQLError(cause.message, { nodes: error.nodes, path: error.path, extensions });
  }
  if (!cause || cause instanceof GraphQLError) {
    if (error.extensions?.code) return error;
    const field = inputField(error);
    return new GraphQLError(error.message, {
      nodes: error.nodes,
      path: error.path,
      extensions: { ...error.extensions, code: 'BAD_USER_INPUT', ...(field ? { field } : {}) },
    });
  }
  // ctx.logger carries the request id.
  ctx.logger.error({ err: cause, path: error.path }, 'unexpected error');
  return new GraphQLError('Unexpected error.', {
    nodes: error.nodes,
    path: error.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: ctx.requestId },
  });
}

export function useErrorPolicy(): Plugin<Context> {
  return {
    onExecute() {
      return {
        onExecuteDone({ result, setResult, args }) {
          if (!('errors' in result) || !result.errors?.length) return;
          const ctx = args.contextValue as Context;
          setResult({ ...result, errors: result.errors.map((e) => classify(e, ctx)) });
        },
      };
    },
    onValidate() {
      return ({ valid, result, setResult }) => {
        if (valid) return;
        setResult(
          result.map(
            (e) =>
              new GraphQLError(e.message, {
                nodes: e.nodes,
                extensions: { ...e.extensions, code: e.extensions.code ?? 'BAD_USER_INPUT' },
              }),
          ),
        );
      };
    },
  };
}
