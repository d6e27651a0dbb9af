// Every setting the gateway reads, parsed once at start from environment variables. A bad value
// stops the start with one line per problem naming the variable, so nobody runs half-configured.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const integer = (min: number, max: number) => {
  const error = `must be an integer from ${min} to ${max}`;
  return z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};
const flag = z.enum(['true', 'false']).transform((value) => value === 'true');

const ConfigSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().min(1).default('0.0.0.0'),
    PORT: integer(0, 65_535).default(4000),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\/[^/]/, 'must be a postgres:// or postgresql:// URL')
      .refine((url) => URL.canParse(url), 'is not a valid URL (special characters in the password must be %-encoded)')
      .optional(),
    DATA_DIR: z.string().min(1).default('.data'),
    DB_POOL_SIZE: integer(1, 500).default(10),
    // How long the database may take (src/db/database.ts): to open a connection; to run one
    // statement (PostgreSQL cancels it, and the gateway stops waiting for a server that does not
    // answer); to wait for a lock; to leave a transaction idle.
    DB_CONNECT_TIMEOUT_MS: integer(100, 600_000).default(5000),
    DB_STATEMENT_TIMEOUT_MS: integer(100, 3_600_000).default(10_000),
    DB_LOCK_TIMEOUT_MS: integer(100, 3_600_000).default(5000),
    DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: integer(100, 3_600_000).default(10_000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    EXTENSIONS_MODE: z.enum(['strict', 'schemaless']).default('strict'),
    SHUTDOWN_TIMEOUT_MS: integer(0, 600_000).default(10_000),

    // Authentication (see src/auth/). No default in production: an open gateway must be asked for.
    AUTH_MODE: z.enum(['none', 'jwt', 'apikey']).optional(),
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters (HS256 wants 256 bits)').optional(),
    JWT_PUBLIC_KEY_FILE: z.string().min(1).optional(),
    JWT_JWKS_FILE: z.string().min(1).optional(),
    JWT_JWKS_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s):// URL' }).optional(),
    JWT_JWKS_CACHE_SECONDS: integer(1, 86_400).default(600),
    JWT_JWKS_COOLDOWN_SECONDS: integer(0, 3600).default(30),
    JWT_ISSUER: z.string().min(1).optional(),
    JWT_AUDIENCE: z.string().min(1).optional(),
    JWT_CLOCK_SKEW_SECONDS: integer(0, 300).default(30),
    API_KEYS_FILE: z.string().min(1).optional(),

    // Persisted operations (src/server/use-persisted-operations.ts).
    PERSISTED_OPERATIONS: z.enum(['off', 'allow', 'only']).optional(),
    PERSISTED_OPERATIONS_MANIFEST: z.string().min(1).default('persisted-operations.json'),
    APQ_CACHE_SIZE: integer(0, 100_000).default(1000),

    // Abuse limits (src/server/use-abuse-limits.ts, src/server/use-cost-limit.ts).
    MAX_DEPTH: integer(1, 100).default(15),
    MAX_ALIASES: integer(0, 1000).default(15),
    MAX_DIRECTIVES: integer(0, 1000).default(20),
    MAX_TOKENS: integer(100, 1_000_000).default(2000),
    MAX_COST: integer(1, 1_000_000_000).default(200_000),
    MAX_BODY_BYTES: integer(1024, 100 * 1024 * 1024).default(1024 * 1024),
    MAX_BATCH: integer(0, 100).default(5),
    INTROSPECTION: flag.optional(),
    GRAPHIQL: flag.optional(),
    // Browser origins allowed to call the API (CORS): a comma-separated list, or `*`.
    CORS_ORIGINS: z
      .string()
      .regex(/^(\*|https?:\/\/[^,\s]+(,https?:\/\/[^,\s]+)*)$/, 'must be * or a comma-separated list of http(s):// origins')
      .optional(),
    // Request headers browsers may send cross-origin, beyond the built-in list (server/yoga.ts).
    CORS_ALLOW_HEADERS: z
      .string()
      .regex(/^[A-Za-z0-9-]+(,[A-Za-z0-9-]+)*$/, 'must be a comma-separated list of header names')
      .transform((names) => names.toLowerCase().split(','))
      .default([]),

    // Rate limiting per credential (src/server/use-rate-limit.ts); 0 turns it off.
    RATE_LIMIT_PER_MINUTE: integer(0, 1_000_000).default(600),
    RATE_LIMIT_BURST: integer(1, 1_000_000).default(100),

    // Answers built as JSON by PostgreSQL, without the executor (src/tree/query-as-json.ts, mutation-as-json.ts).
    SQL_JSON_RESPONSES: flag.default(true),

    // The reference REST API (src/rest/): where its paths start; "/" serves the 8.0/8.1 root paths.
    REST_BASE_PATH: z
      .string()
      .regex(/^\/([A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*)?$/, 'must be "/" or a path such as /genesys/1/cs (no trailing slash)')
      .default('/genesys/1/cs'),

    // Live context (src/events/): how long events are kept for resuming, and subscription bounds.
    EVENT_RETENTION: z
      .string()
      .regex(/^\d{1,9}(s|m|h|d)$/, 'must be a duration such as 90s, 30m, 24h or 7d')
      .transform(
        (value) => Number(value.slice(0, -1)) * { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[value.at(-1) as 's' | 'm' | 'h' | 'd'],
      )
      .refine((ms) => ms >= 60_000 && ms <= 90 * 86_400_000, 'must be from 1m to 90d')
      .default(24 * 3_600_000),
    MAX_SUBSCRIPTIONS_PER_CLIENT: integer(1, 1_000_000).default(100),
    SUBSCRIPTION_QUEUE_SIZE: integer(10, 1_000_000).default(1000),

    // Observability (src/server/use-metrics.ts, src/observability/tracing.ts).
    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/, error: 'must be an http(s):// URL' }).optional(),
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url({ protocol: /^https?$/, error: 'must be an http(s):// URL' }).optional(),
    OTEL_SERVICE_NAME: z.string().min(1).default('context-gateway'),
  })
  .superRefine((c, ctx) => {
    const problem = (name: string, message: string) => ctx.addIssue({ code: 'custom', path: [name], message });
    const production = c.NODE_ENV === 'production';
    if (production && !c.AUTH_MODE) problem('AUTH_MODE', 'must be set when NODE_ENV=production (jwt, apikey, or none)');
    if (c.AUTH_MODE === 'jwt') {
      const keys = [c.JWT_SECRET, c.JWT_PUBLIC_KEY_FILE, c.JWT_JWKS_FILE, c.JWT_JWKS_URL].filter(Boolean).length;
      if (keys !== 1) {
        problem('JWT_SECRET', 'AUTH_MODE=jwt needs exactly one of JWT_SECRET, JWT_PUBLIC_KEY_FILE, JWT_JWKS_FILE, JWT_JWKS_URL');
      }
      if (!c.JWT_ISSUER) problem('JWT_ISSUER', 'AUTH_MODE=jwt needs the expected token issuer');
      if (!c.JWT_AUDIENCE) problem('JWT_AUDIENCE', 'AUTH_MODE=jwt needs the expected token audience');
    }
    if (c.AUTH_MODE === 'apikey' && !c.API_KEYS_FILE) problem('API_KEYS_FILE', 'AUTH_MODE=apikey needs the file of hashed keys');
  })
  // Settings whose safe value depends on NODE_ENV: open in development, closed in production.
  .transform((c) => {
    const production = c.NODE_ENV === 'production';
    return {
      ...c,
      AUTH_MODE: c.AUTH_MODE ?? 'none',
      PERSISTED_OPERATIONS: c.PERSISTED_OPERATIONS ?? (production ? 'only' : 'allow'),
      INTROSPECTION: c.INTROSPECTION ?? !production,
      GRAPHIQL: c.GRAPHIQL ?? !production,
      // No cross-origin browser access in production unless the origins are named.
      CORS_ORIGINS: c.CORS_ORIGINS ?? (production ? undefined : '*'),
    };
  });

export type Config = z.infer<typeof ConfigSchema>;

// Named in a problem line, never printed.
const SECRETS = new Set(['JWT_SECRET', 'METRICS_TOKEN']);

// A database URL is shown to say what is wrong with it, but not its password.
function withoutPassword(name: string, value: string | undefined): string | undefined {
  return name === 'DATABASE_URL' && value ? value.replace(/^([^:/]+:\/\/[^:/@]*:)[^@]*@/, '$1***@') : value;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads the configuration from `env`; empty strings count as unset. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = ConfigSchema.safeParse(present);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      const shown = SECRETS.has(name) && env[name] !== undefined ? '"(hidden)"' : JSON.stringify(withoutPassword(name, env[name]));
      return `${name}=${shown}: ${issue.message}`;
    }),
  );
}

/** Reads a file named by a setting (relative to the working directory); a failure names the setting. */
export function readSettingFile(name: string, file: string): string {
  try {
    return readFileSync(path.resolve(file), 'utf8');
  } catch (error) {
    throw new ConfigError([`${name}=${JSON.stringify(file)}: cannot read it (${(error as Error).message})`]);
  }
}
