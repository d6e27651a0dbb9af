// Who is calling: what the authenticators produce and resolvers see as `ctx.auth`.
import { isScope, SCOPES, type Scope } from './scopes.js';

export interface Principal {
  /** Token subject or API key id: names the caller in logs and keys its rate limit. */
  id: string;
  method: 'none' | 'jwt' | 'apikey';
  scopes: ReadonlySet<Scope>;
  /** When the credential stops being valid (ms since the epoch), if it does: ends its subscriptions. */
  expiresAt?: number;
}

/** AUTH_MODE=none: development only, everything allowed. */
export const DEVELOPER: Principal = { id: 'anonymous', method: 'none', scopes: new Set(SCOPES) };

/** Missing, malformed, expired or unknown credentials (HTTP 401). */
export class UnauthenticatedError extends Error {
  override name = 'UnauthenticatedError';
}

/** Keeps the scopes this gateway knows; a token may carry scopes meant for other services. */
/** Credentials that cannot be checked now (the identity provider's keys cannot be fetched). */
export class CredentialsUncheckableError extends Error {
  override name = 'CredentialsUncheckableError';
}

export function knownScopes(values: Iterable<string>): Set<Scope> {
  return new Set([...values].filter(isScope));
}
