// Errors in the reference's shape: `{"message": ..., "exception": ...}` with the status the
// inventory gives or recommends, plus our stable `code` (and `field` for bad input) so a client
// can tell causes apart without parsing messages.
import type { GraphQLError } from 'graphql';
import type { RestError } from './route.js';

const EXCEPTIONS = 'com.genesyslab.gsg.services.contextservices.exceptions';
// The one exception class the reference documents by name; every other status shares one class.
const NOT_FOUND_EXCEPTION = `${EXCEPTIONS}.NotFoundException`;
const OTHER_EXCEPTION = `${EXCEPTIONS}.ContextServicesException`;

/** HTTP status of each error code of the gateway (graphql/errors.ts and the server's plugins). */
const STATUS: Record<string, number> = {
  BAD_USER_INPUT: 400,
  BAD_REQUEST: 400,
  QUERY_LIMIT_EXCEEDED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  REQUEST_ENTITY_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  INTERNAL_SERVER_ERROR: 500,
  NOT_IMPLEMENTED: 501,
  SERVICE_UNAVAILABLE: 503,
};

export interface ErrorReply {
  status: number;
  body: { message: string; exception: string; code: string; field?: string; request_id?: string };
  headers?: Record<string, string>;
}

function reply(status: number, code: string, message: string, extra: { field?: string; requestId?: string } = {}): ErrorReply {
  return {
    status,
    body: {
      message,
      exception: status === 404 ? NOT_FOUND_EXCEPTION : OTHER_EXCEPTION,
      code,
      ...(extra.field !== undefined && { field: extra.field }),
      ...(extra.requestId !== undefined && { request_id: extra.requestId }),
    },
  };
}

export const restErrorReply = (error: RestError): ErrorReply => reply(error.status, error.code, error.message, { field: error.field });

/** Where a GraphQL input path (`input.customerId`) stands in a REST request (`customer_id`). */
export type FieldMap = (graphqlField: string) => string;

/**
 * The reply to a failed operation: the first error decides (a REST request runs one operation,
 * and its rules stop at the first problem). `fields` turns GraphQL input paths into the request's.
 */
export function graphqlErrorReply(errors: readonly GraphQLError[], fields: FieldMap): ErrorReply {
  const [error] = errors;
  const extensions = (error.extensions ?? {}) as {
    code?: string;
    field?: string;
    /** A field named as the REST request names it (errors raised by the REST layer itself). */
    restField?: string;
    requestId?: string;
    http?: { status?: number; headers?: Record<string, string> };
  };
  const code = extensions.code ?? 'INTERNAL_SERVER_ERROR';
  const status = STATUS[code] ?? extensions.http?.status ?? 500;
  const field =
    extensions.restField ?? ((typeof extensions.field === 'string' && extensions.field !== '' && fields(extensions.field)) || undefined);
  const answer = reply(status, code, error.message, { field, requestId: extensions.requestId });
  if (extensions.http?.headers) answer.headers = extensions.http.headers;
  return answer;
}

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * The default FieldMap: `input.` dropped, GraphQL names in snake_case, and an extension's path
 * (after `extensions.`) kept as sent, since extensions are top-level keys of the body.
 */
export function restField(graphqlField: string): string {
  const parts = graphqlField.split('.');
  if (parts[0] === 'input') parts.shift();
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    if (parts[i] === 'extensions') {
      out.push(...parts.slice(i + 1));
      break;
    }
    out.push(snake(parts[i]));
  }
  return out.join('.');
}
