// Bearer JWTs verified with `jose`: one key source (HS256 secret, RS256/ES256 public key file, a
// JWKS file, or the identity provider's JWKS URL), the issuer and audience checked, expiry
// required, clock skew bounded. The accepted algorithms follow from the key, so a token cannot
// choose a weaker one.
import { createPublicKey, type KeyObject } from 'node:crypto';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
  jwtVerify,
} from 'jose';
import { type Config, ConfigError, readSettingFile } from '../config.js';
import { CredentialsUncheckableError, knownScopes, type Principal, UnauthenticatedError } from './principal.js';

export type JwtConfig = Pick<
  Config,
  | 'JWT_SECRET'
  | 'JWT_PUBLIC_KEY_FILE'
  | 'JWT_JWKS_FILE'
  | 'JWT_JWKS_URL'
  | 'JWT_JWKS_CACHE_SECONDS'
  | 'JWT_JWKS_COOLDOWN_SECONDS'
  | 'JWT_ISSUER'
  | 'JWT_AUDIENCE'
  | 'JWT_CLOCK_SKEW_SECONDS'
>;

function algorithmOf(key: KeyObject, file: string): string {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  throw new ConfigError([`JWT_PUBLIC_KEY_FILE=${JSON.stringify(file)}: expected an RSA or P-256 public key`]);
}

function publicKey(file: string): KeyObject {
  try {
    return createPublicKey(readSettingFile('JWT_PUBLIC_KEY_FILE', file));
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError([`JWT_PUBLIC_KEY_FILE=${JSON.stringify(file)}: not a PEM public key (${(error as Error).message})`]);
  }
}

function keySet(file: string) {
  try {
    return createLocalJWKSet(JSON.parse(readSettingFile('JWT_JWKS_FILE', file)));
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError([`JWT_JWKS_FILE=${JSON.stringify(file)}: not a JWK set (${(error as Error).message})`]);
  }
}

/**
 * The identity provider's keys, fetched from JWT_JWKS_URL on first use and kept for
 * JWT_JWKS_CACHE_SECONDS. A token whose `kid` is not among them fetches the set again, at most
 * once per JWT_JWKS_COOLDOWN_SECONDS, so a rotation needs no restart and forged key ids cannot
 * make the gateway hammer the provider.
 */
function remoteKeySet(config: JwtConfig): JWTVerifyGetKey {
  const resolve = createRemoteJWKSet(new URL(config.JWT_JWKS_URL!), {
    cacheMaxAge: config.JWT_JWKS_CACHE_SECONDS * 1000,
    cooldownDuration: config.JWT_JWKS_COOLDOWN_SECONDS * 1000,
  });
  // A provider that cannot be reached, answers an error or garbage says nothing of the token.
  return async (header, token) => {
    try {
      return await resolve(header, token);
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) throw error;
      throw new CredentialsUncheckableError(
        `cannot check the token now: the identity provider's keys cannot be fetched (${(error as Error).message})`,
      );
    }
  };
}

/** `scope` is a space-separated string (RFC 8693); some issuers send `scp`, as a list or a string. */
function scopesOf(payload: JWTPayload): string[] {
  const claim = payload.scope ?? payload.scp;
  if (typeof claim === 'string') return claim.split(' ');
  return Array.isArray(claim) ? claim.filter((s): s is string => typeof s === 'string') : [];
}

/** Returns a verifier of bearer tokens; it throws UnauthenticatedError naming what is wrong. */
export function createJwtVerifier(config: JwtConfig): (token: string) => Promise<Principal> {
  const options = (algorithms: string[]): JWTVerifyOptions => ({
    algorithms,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    clockTolerance: config.JWT_CLOCK_SKEW_SECONDS,
    requiredClaims: ['exp', 'sub'],
  });
  let verify: (token: string) => Promise<{ payload: JWTPayload }>;
  if (config.JWT_SECRET) {
    const secret = new TextEncoder().encode(config.JWT_SECRET);
    verify = (token) => jwtVerify(token, secret, options(['HS256']));
  } else if (config.JWT_PUBLIC_KEY_FILE) {
    const key = publicKey(config.JWT_PUBLIC_KEY_FILE);
    const algorithm = algorithmOf(key, config.JWT_PUBLIC_KEY_FILE);
    verify = (token) => jwtVerify(token, key, options([algorithm]));
  } else {
    const keys = config.JWT_JWKS_URL ? remoteKeySet(config) : keySet(config.JWT_JWKS_FILE!);
    verify = (token) => jwtVerify(token, keys, options(['RS256', 'ES256']));
  }
  return async (token) => {
    try {
      const { payload } = await verify(token);
      return {
        id: payload.sub!,
        method: 'jwt',
        scopes: knownScopes(scopesOf(payload)),
        expiresAt: (payload.exp! + config.JWT_CLOCK_SKEW_SECONDS) * 1000,
      };
    } catch (error) {
      // jose's messages name the failed check ("exp" claim timestamp check failed,
      // unexpected "aud" claim value, signature verification failed) and never key material.
      if (error instanceof errors.JOSEError) throw new UnauthenticatedError(`invalid token: ${error.message}`);
      throw error;
    }
  };
}
