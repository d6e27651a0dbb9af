// The one error policy. Domain failures are GraphQLErrors carrying a stable `extensions.code`
// from the spec (and `field` for bad input); anything else is a bug, masked by the server as
// INTERNAL_SERVER_ERROR with a request id (see server/error-policy.ts).
import { GraphQLError } from 'graphql';

export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  // A limit on what one request or caller may ask for (see server/use-abuse-limits.ts); `extensions.limit` names it.
  | 'QUERY_LIMIT_EXCEEDED'
  // A live context subscription fell too far behind its events and was ended (resume with `after`).
  | 'SLOW_SUBSCRIBER'
  // The gateway cannot serve this now (it is stopping, or its database cannot be reached or does
  // not answer in time); the same request elsewhere or later can succeed.
  | 'SERVICE_UNAVAILABLE';

export class DomainError extends GraphQLError {
  constructor(
    readonly code: ErrorCode,
    message: string,
    extensions: Record<string, unknown> = {},
  ) {
    super(message, { extensions: { code, ...extensions } });
    this.name = 'DomainError';
  }
}

/** Bad input; `field` is the path of the offending input, e.g. `input.extensions.coupon.code`. */
export function badInput(field: string, message: string, extensions: Record<string, unknown> = {}): DomainError {
  return new DomainError('BAD_USER_INPUT', message, { field, ...extensions });
}

/**
 * Bad input found by a scalar, which cannot know where the value sits. Deliberately not a
 * GraphQLError: graphql-js then locates it (in the document or in the variables) and keeps it as
 * the original error, and the error policy names the offending field.
 */
export class ScalarInputError extends Error {
  readonly extensions = { code: 'BAD_USER_INPUT', field: '' };
}

export function notFound(what: string, id: string | number | bigint): DomainError {
  return new DomainError('NOT_FOUND', `${what} ${String(id)} does not exist`);
}

export function conflict(message: string): DomainError {
  return new DomainError('CONFLICT', message);
}

/** Seconds a client is asked to wait before retrying when the database is unavailable. */
export const RETRY_AFTER_SECONDS = 5;

/**
 * The database could not be reached or did not answer in time: HTTP 503 with Retry-After (Yoga
 * reads `http` and keeps it out of the body).
 */
export function serviceUnavailable(requestId: string): DomainError {
  return new DomainError('SERVICE_UNAVAILABLE', 'The database is unavailable; retry later.', {
    requestId,
    retryAfter: RETRY_AFTER_SECONDS,
    http: { status: 503, headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) } },
  });
}
