// Failures that say the database could not be reached or did not answer in time, as opposed to
// a statement it refused: a client can do nothing about them but retry later, so the error
// policy answers them SERVICE_UNAVAILABLE (HTTP 503 with Retry-After) and logs the cause.

/** The gateway gave up waiting for the database (a frozen or unreachable server). */
export class DatabaseTimeoutError extends Error {
  override name = 'DatabaseTimeoutError';
}

/** The request's client went away, so its statement was cancelled or never sent. */
export class RequestAbortedError extends Error {
  override name = 'RequestAbortedError';
  constructor() {
    super('the client closed the request');
  }
}

// SQLSTATE: connection exceptions (08), the server shutting down, crashed or starting (57P01-3),
// too many connections (53300), a statement cancelled by statement_timeout (57014; the gateway
// cancels statements only of requests whose client has gone), lock_timeout (55P03), and the
// idle-in-transaction timeout (25P03).
const UNAVAILABLE_STATE = /^(08...|57P0[123]|53300|57014|55P03|25P03)$/;
// Node's socket errors and the pg driver's own words for a lost or timed-out connection.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
// Prisma's: server unreachable, operation timed out, connection closed, no pool connection in time.
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
const DRIVER_MESSAGE =
  /Connection terminated|timeout expired|Query read timeout|timeout exceeded when trying to connect|not queryable|Client was closed|Cannot use a pool after calling end/;

export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof DatabaseTimeoutError || error instanceof RequestAbortedError) return true;
  if (!(error instanceof Error)) return false;
  const { code } = error as NodeJS.ErrnoException;
  if (typeof code === 'string' && (UNAVAILABLE_STATE.test(code) || NETWORK_CODES.has(code) || PRISMA_CODES.has(code))) return true;
  if (error instanceof AggregateError && error.errors.some(isDatabaseUnavailable)) return true;
  return DRIVER_MESSAGE.test(error.message) || (error.cause !== undefined && isDatabaseUnavailable(error.cause));
}
