import { describe, expect, it } from 'vitest';
import { createAuthenticator } from '../../src/auth/authenticate.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';

const PRODUCTION_JWT = {
  NODE_ENV: 'production',
  AUTH_MODE: 'jwt',
  JWT_SECRET: 'a-production-secret-of-at-least-32-chars',
  JWT_ISSUER: 'https://idp.example.test/',
  JWT_AUDIENCE: 'context-gateway',
};

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('security settings', () => {
  it('are open in development and closed in production unless asked otherwise', () => {
    expect(loadConfig({})).toMatchObject({ AUTH_MODE: 'none', PERSISTED_OPERATIONS: 'allow', INTROSPECTION: true, GRAPHIQL: true });
    expect(loadConfig(PRODUCTION_JWT)).toMatchObject({ PERSISTED_OPERATIONS: 'only', INTROSPECTION: false, GRAPHIQL: false });
    expect(loadConfig({ ...PRODUCTION_JWT, INTROSPECTION: 'true', PERSISTED_OPERATIONS: 'allow' })).toMatchObject({
      PERSISTED_OPERATIONS: 'allow',
      INTROSPECTION: true,
    });
  });

  it('make production name its AUTH_MODE, and JWT name its key, issuer and audience', () => {
    expect(problems({ NODE_ENV: 'production' })).toEqual([
      'AUTH_MODE=undefined: must be set when NODE_ENV=production (jwt, apikey, or none)',
    ]);
    expect(problems({ AUTH_MODE: 'jwt' })).toEqual([
      'JWT_SECRET=undefined: AUTH_MODE=jwt needs exactly one of JWT_SECRET, JWT_PUBLIC_KEY_FILE, JWT_JWKS_FILE, JWT_JWKS_URL',
      'JWT_ISSUER=undefined: AUTH_MODE=jwt needs the expected token issuer',
      'JWT_AUDIENCE=undefined: AUTH_MODE=jwt needs the expected token audience',
    ]);
    expect(problems({ ...PRODUCTION_JWT, JWT_JWKS_FILE: 'jwks.json' })[0]).toMatch(/needs exactly one of/);
    expect(problems({ AUTH_MODE: 'apikey' })).toEqual(['API_KEYS_FILE=undefined: AUTH_MODE=apikey needs the file of hashed keys']);
    expect(problems({ JWT_CLOCK_SKEW_SECONDS: '3600', INTROSPECTION: 'yes' })).toEqual([
      expect.stringMatching(/^JWT_CLOCK_SKEW_SECONDS="3600": /),
      expect.stringMatching(/^INTROSPECTION="yes": /),
    ]);
  });

  it('never print a secret in a problem line', () => {
    expect(problems({ JWT_SECRET: 'short-secret', METRICS_TOKEN: 'tiny' })).toEqual([
      'JWT_SECRET="(hidden)": must be at least 32 characters (HS256 wants 256 bits)',
      'METRICS_TOKEN="(hidden)": must be at least 16 characters',
    ]);
  });

  it('warn loudly when production runs without authentication', () => {
    const lines: Record<string, any>[] = [];
    const logger = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) });
    createAuthenticator(loadConfig({ NODE_ENV: 'development' }), logger);
    expect(lines).toEqual([]);
    createAuthenticator(loadConfig({ NODE_ENV: 'production', AUTH_MODE: 'none' }), logger);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'warn',
        authMode: 'none',
        msg: expect.stringMatching(/^AUTH_MODE=none IN PRODUCTION: EVERY CALLER HAS EVERY SCOPE/),
      }),
    ]);
  });
});
