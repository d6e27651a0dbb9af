import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { PROJECT_ROOT } from '../../src/paths.js';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('has a default for every setting but DATABASE_URL and the credentials', () => {
    expect(loadConfig({})).toEqual({
      NODE_ENV: 'development',
      HOST: '0.0.0.0',
      PORT: 4000,
      DATA_DIR: '.data',
      DB_POOL_SIZE: 10,
      DB_CONNECT_TIMEOUT_MS: 5000,
      DB_STATEMENT_TIMEOUT_MS: 10_000,
      DB_LOCK_TIMEOUT_MS: 5000,
      DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: 10_000,
      LOG_LEVEL: 'info',
      EXTENSIONS_MODE: 'strict',
      SHUTDOWN_TIMEOUT_MS: 10_000,
      AUTH_MODE: 'none',
      JWT_CLOCK_SKEW_SECONDS: 30,
      JWT_JWKS_CACHE_SECONDS: 600,
      JWT_JWKS_COOLDOWN_SECONDS: 30,
      PERSISTED_OPERATIONS: 'allow',
      PERSISTED_OPERATIONS_MANIFEST: 'persisted-operations.json',
      APQ_CACHE_SIZE: 1000,
      MAX_DEPTH: 15,
      MAX_ALIASES: 15,
      MAX_DIRECTIVES: 20,
      MAX_TOKENS: 2000,
      MAX_COST: 200_000,
      MAX_BODY_BYTES: 1_048_576,
      MAX_BATCH: 5,
      INTROSPECTION: true,
      GRAPHIQL: true,
      CORS_ORIGINS: '*',
      CORS_ALLOW_HEADERS: [],
      RATE_LIMIT_PER_MINUTE: 600,
      RATE_LIMIT_BURST: 100,
      SQL_JSON_RESPONSES: true,
      OTEL_SERVICE_NAME: 'context-gateway',
      REST_BASE_PATH: '/genesys/1/cs',
      EVENT_RETENTION: 86_400_000,
      MAX_SUBSCRIPTIONS_PER_CLIENT: 100,
      SUBSCRIPTION_QUEUE_SIZE: 1000,
    });
  });

  it('reads EVENT_RETENTION as a duration', () => {
    expect(loadConfig({ EVENT_RETENTION: '90m' }).EVENT_RETENTION).toBe(5_400_000);
    expect(loadConfig({ EVENT_RETENTION: '7d' }).EVENT_RETENTION).toBe(604_800_000);
    expect(problems({ EVENT_RETENTION: '24' })).toEqual(['EVENT_RETENTION="24": must be a duration such as 90s, 30m, 24h or 7d']);
    expect(problems({ EVENT_RETENTION: '10s' })).toEqual(['EVENT_RETENTION="10s": must be from 1m to 90d']);
  });

  it('parses given values and treats empty strings as unset', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'postgresql://u:p@db:5432/context',
      EXTENSIONS_MODE: 'schemaless',
      DATA_DIR: '',
    });
    expect(config).toMatchObject({
      PORT: 8080,
      DATABASE_URL: 'postgresql://u:p@db:5432/context',
      EXTENSIONS_MODE: 'schemaless',
      DATA_DIR: '.data',
    });
  });

  it('reports one clear line per bad variable, naming it and its value', () => {
    const lines = problems({ PORT: 'eighty', DATABASE_URL: 'mysql://db/context', LOG_LEVEL: 'loud', DB_POOL_SIZE: '0', HOST: 'localhost' });
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('PORT="eighty": must be an integer from 0 to 65535');
    expect(lines[1]).toBe('DATABASE_URL="mysql://db/context": must be a postgres:// or postgresql:// URL');
    expect(lines[2]).toBe('DB_POOL_SIZE="0": must be an integer from 1 to 500');
    expect(lines[3]).toMatch(/^LOG_LEVEL="loud": .*"fatal"\|"error"\|"warn"\|"info"\|"debug"\|"trace"\|"silent"/);
  });

  it('never prints the password of a bad DATABASE_URL', () => {
    const [line] = problems({ DATABASE_URL: 'mysql://admin:s3cret@db/context' });
    expect(line).toBe('DATABASE_URL="mysql://admin:***@db/context": must be a postgres:// or postgresql:// URL');
  });

  it.each([
    ['PORT', '65536'],
    ['PORT', '80.5'],
    ['PORT', '-1'],
    ['DATABASE_URL', 'postgresql://'],
    ['DATABASE_URL', 'postgres://db:99999/context'],
    ['DATABASE_URL', 'db:5432'],
    ['NODE_ENV', 'staging'],
    ['EXTENSIONS_MODE', 'loose'],
    ['SHUTDOWN_TIMEOUT_MS', 'soon'],
  ])('rejects %s=%s', (name, value) => {
    const lines = problems({ [name]: value });
    expect(lines).toHaveLength(1);
    expect(lines[0].startsWith(`${name}=${JSON.stringify(value)}: `)).toBe(true);
  });

  it('puts every problem on its own line of the error message', () => {
    try {
      loadConfig({ PORT: 'x', EXTENSIONS_MODE: 'y' });
    } catch (error) {
      expect((error as Error).message).toBe(
        `invalid configuration:\n  - ${(error as ConfigError).problems[0]}\n  - ${(error as ConfigError).problems[1]}`,
      );
      return;
    }
    throw new Error('expected a ConfigError');
  });

  it('documents every setting in the README configuration table', () => {
    const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
    const settings = Object.keys(loadConfig({ DATABASE_URL: 'postgres://db/context' }));
    expect(settings.filter((name) => !readme.includes(`| \`${name}\``))).toEqual([]);
  });
});
