// Turns a request into a Principal according to AUTH_MODE. Credentials travel as
// `Authorization: Bearer <token or API key>`. The result is kept per request, so the early check
// (server/use-auth.ts) and the context factory share one verification.
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { perRequest } from '../per-request.js';
import { createApiKeyVerifier } from './api-keys.js';
import { createJwtVerifier } from './jwt.js';
import { DEVELOPER, type Principal, UnauthenticatedError } from './principal.js';

export type Authenticate = (request: Request) => Promise<Principal>;

const BEARER = /^Bearer +(\S+)$/i;

export function createAuthenticator(config: Config, logger: Logger): Authenticate {
  if (config.AUTH_MODE === 'none') {
    if (config.NODE_ENV === 'production') {
      logger.warn(
        { authMode: 'none' },
        'AUTH_MODE=none IN PRODUCTION: EVERY CALLER HAS EVERY SCOPE. Set AUTH_MODE=jwt or AUTH_MODE=apikey.',
      );
    }
    return async () => DEVELOPER;
  }
  const verify: (credential: string) => Principal | Promise<Principal> =
    config.AUTH_MODE === 'jwt' ? createJwtVerifier(config) : createApiKeyVerifier(config.API_KEYS_FILE!);
  return perRequest('principal', (request) => {
    const header = request.headers.get('authorization');
    const credential = header && BEARER.exec(header)?.[1];
    return credential
      ? Promise.resolve().then(() => verify(credential))
      : Promise.reject(new UnauthenticatedError('missing credentials: send Authorization: Bearer <credential>'));
  });
}
