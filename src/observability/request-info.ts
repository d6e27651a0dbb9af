// What the gateway learns about one HTTP request as it goes through the plugins: its id (the
// caller's X-Request-Id when it is sane, a fresh UUID otherwise), when it started, the operations
// it ran and the error codes it answered with. Read by the request log and the metrics.
import { randomUUID } from 'node:crypto';
import { perRequest } from '../per-request.js';

export interface RequestInfo {
  id: string;
  startedAt: number;
  operations: string[];
  /** Error codes of the response, in order; empty when it succeeded. */
  codes: string[];
  principal?: string;
  /**
   * An API request, logged and counted: one to the GraphQL endpoint (noted by the request log from
   * the URL Yoga parsed) or to a REST route (noted by the REST plugin).
   */
  api: boolean;
  /** The REST route, e.g. `POST /services/start`; unset for GraphQL requests. */
  route?: string;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

export const requestInfo = perRequest('requestInfo', (request): RequestInfo => {
  const given = request.headers.get('x-request-id');
  return {
    id: given && REQUEST_ID.test(given) ? given : randomUUID(),
    startedAt: performance.now(),
    operations: [],
    codes: [],
    api: false,
  };
});

/** `ok`, or the first error code: a small closed set, fit for a metric label. */
export function outcomeOf(info: RequestInfo): string {
  return info.codes[0] ?? 'ok';
}

/** The operations the request ran, or `(none)` when it was refused before running any. */
export function operationLabel(info: RequestInfo): string {
  return info.operations.join(',') || '(none)';
}
