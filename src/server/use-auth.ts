// Rejects a GraphQL request without valid credentials before it is parsed (UNAUTHENTICATED,
// HTTP 401), so anonymous callers learn nothing about the schema or the persisted operations.
// Scopes are checked later, per root field (auth/root-field-scopes.ts).
import type { Plugin } from 'graphql-yoga';
import type { Authenticate } from '../auth/authenticate.js';
import { CredentialsUncheckableError, UnauthenticatedError } from '../auth/principal.js';
import { requestInfo } from '../observability/request-info.js';
import { requestError } from './request-errors.js';

export function useAuth(authenticate: Authenticate): Plugin {
  return {
    async onParams({ request }) {
      try {
        requestInfo(request).principal = (await authenticate(request)).id;
      } catch (error) {
        if (error instanceof CredentialsUncheckableError)
          throw requestError('SERVICE_UNAVAILABLE', 503, error.message, { headers: { 'Retry-After': '5' } });
        if (!(error instanceof UnauthenticatedError)) throw error;
        throw requestError('UNAUTHENTICATED', 401, error.message, { headers: { 'WWW-Authenticate': 'Bearer' } });
      }
    },
  };
}
