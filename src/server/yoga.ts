// Builds the HTTP handler (Yoga) from its parts. Exported apart from the code that listens so
// tests drive the whole pipeline with `yoga.fetch` and no port.
import { type CORSOptions, createYoga, type YogaServerInstance } from 'graphql-yoga';
import { createAuthenticator } from '../auth/authenticate.js';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { Context } from '../graphql/context.js';
import { schema } from '../graphql/schema.js';
import type { Logger } from '../logger.js';
import { createMetrics } from '../observability/metrics.js';
import { requestInfo } from '../observability/request-info.js';
import { useCompiledExecution } from './compiled-execution.js';
import { useErrorPolicy } from './error-policy.js';
import { loadManifest } from './persisted-manifest.js';
import { useReadiness } from './readiness.js';
import { useAbuseLimits } from './use-abuse-limits.js';
import { useAuth } from './use-auth.js';
import { useBodyLimit } from './use-body-limit.js';
import { useCostLimit } from './use-cost-limit.js';
import { useMetrics } from './use-metrics.js';
import { usePersistedOperationPolicy } from './use-persisted-operations.js';
import { useRateLimit } from './use-rate-limit.js';
import { useRequestLog } from './use-request-log.js';
import { useSqlJsonResponses } from './use-sql-json-responses.js';

export interface GatewayDeps {
  db: Database;
  config: Config;
  logger: Logger;
}

export type Gateway = YogaServerInstance<Record<string, unknown>, Context>;

const GRAPHQL_ENDPOINT = '/graphql';

/** Throws ConfigError when a file named by the configuration (keys, manifest) is unusable. */
function corsOptions(origins: string | undefined): CORSOptions {
  if (!origins) return false;
  return {
    origin: origins === '*' ? '*' : origins.split(','),
    allowedHeaders: ['content-type', 'authorization', 'x-request-id', 'accept'],
    exposedHeaders: ['x-request-id', 'retry-after'],
    methods: ['GET', 'POST'],
    maxAge: 600,
  };
}

export function createGateway({ db, config, logger }: GatewayDeps): Gateway {
  const authenticate = createAuthenticator(config, logger);
  const manifest = loadManifest(config, schema, logger);
  const metrics = createMetrics(db.pool);
  return createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: GRAPHQL_ENDPOINT,
    healthCheckEndpoint: '/health',
    landingPage: false,
    graphiql: config.GRAPHIQL && { title: 'Context gateway' },
    cors: corsOptions(config.CORS_ORIGINS),
    logging: logger,
    // Never guessed from NODE_ENV: our own policy (error-policy.ts) decides what clients see.
    maskedErrors: { isDev: false },
    // Enforced by useBodyLimit instead: Yoga's own limit streams every body through a counter.
    maxRequestBodySize: false,
    batching: config.MAX_BATCH > 0 && { limit: config.MAX_BATCH },
    context: async ({ request }) => {
      const { id } = requestInfo(request);
      return { db, config, requestId: id, logger, auth: await authenticate(request) };
    },
    // Order matters: identify the request (the request log notes what the metrics count), refuse
    // the unauthenticated, the over-budget and the unpersisted before parsing; then limit the
    // document's shape and cost before execution.
    plugins: [
      useRequestLog(logger, GRAPHQL_ENDPOINT),
      useMetrics(metrics, { token: config.METRICS_TOKEN }),
      useReadiness(() => db.isReady()),
      useBodyLimit(config.MAX_BODY_BYTES),
      useAuth(authenticate),
      useRateLimit(config, authenticate),
      ...usePersistedOperationPolicy(config, manifest),
      ...useAbuseLimits(config),
      useCostLimit(config.MAX_COST),
      // Compiled execution pays off on reads, where large trees are resolved field by field.
      useCompiledExecution(),
      // After it: the executor it chose answers whatever this one does not.
      useSqlJsonResponses(config.SQL_JSON_RESPONSES, metrics.countSqlJsonFallback),
      useErrorPolicy(),
    ],
  });
}
