// Rejects a GraphQL request without valid credentials before its document is parsed
// (UNAUTHENTICATED, HTTP 401), so anonymous callers learn nothing about the schema or the
// persisted operations. Checked once per HTTP request, so a batch without credentials is refused
// as a whole like a single operation; operations that come another way (WebSocket) are checked one
// by one. Scopes are checked later, per root field (auth/root-field-scopes.ts).
import type { Plugin } from 'graphql-yoga';
import type { Authenticate } from '../auth/authenticate.js';
import { CredentialsUncheckableError, UnauthenticatedError } from '../auth/principal.js';
import { requestInfo } from '../observability/request-info.js';
import { requestError } from './request-errors.js';

export function useAuth(authenticate: Authenticate): Plugin {
  const check = async (request: Request) => {
    try {
      requestInfo(request).principal = (await authenticate(request)).id;
    } catch (error) {
      if (error instanceof CredentialsUncheckableError)
        throw requestError('SERVICE_UNAVAILABLE', 503, error.message, { headers: { 'Retry-After': '5' } });
      if (!(error instanceof UnauthenticatedError)) throw error;
      throw requestError('UNAUTHENTICATED', 401, error.message, { headers: { 'WWW-Authenticate': 'Bearer' } });
    }
  };
  return {
    onRequestParse({ request }) {
      return { onRequestParseDone: () => check(request) };
    },
    // Not async: an operation of a request checked already costs no promise.
    onParams({ request }) {
      if (requestInfo(request).principal === undefined) return check(request);
    },
  };
}
