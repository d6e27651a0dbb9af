// Builds the HTTP handler (Yoga) from its parts. Exported apart from the code that listens so
// tests drive the whole pipeline with `yoga.fetch` and no port.
import { type CORSOptions, createYoga, type YogaServerInstance } from 'graphql-yoga';
import { type Authenticate, createAuthenticator } from '../auth/authenticate.js';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { LiveContext } from '../events/live-context.js';
import type { Context } from '../graphql/context.js';
import type { Logger } from '../logger.js';
import { createMetrics } from '../observability/metrics.js';
import { operationLabel, outcomeOf, requestInfo } from '../observability/request-info.js';
import { createTracing, traceStatements, useTracing } from '../observability/tracing.js';
import { restRequest, useRest } from '../rest/use-rest.js';
import { schema } from '../schema.js';
import { documentCache } from './document-cache.js';
import { maskKeepingCause, useErrorPolicy } from './error-policy.js';
import { createGraphiQLAssets } from './graphiql.js';
import { loadManifest } from './persisted-manifest.js';
import { useReadiness } from './readiness.js';
import { useAbuseLimits } from './use-abuse-limits.js';
import { useAuth } from './use-auth.js';
import { useBodyLimit } from './use-body-limit.js';
import { useCostLimit } from './use-cost-limit.js';
import { useLiveContext } from './use-live-context.js';
import { useMetrics } from './use-metrics.js';
import { usePersistedOperationPolicy } from './use-persisted-operations.js';
import { useRateLimit } from './use-rate-limit.js';
import { logRequest, useRequestLog } from './use-request-log.js';
import { useRequestShape } from './use-request-shape.js';
import { useSqlJsonResponses } from './use-sql-json-responses.js';

export interface GatewayDeps {
  db: Database;
  config: Config;
  logger: Logger;
}

export type Gateway = YogaServerInstance<Record<string, unknown>, Context> & {
  /** The gateway's check of credentials (the WebSocket transport checks a connection's with it). */
  authenticate: Authenticate;
  /** Logs and counts an operation that came another way than an HTTP request (WebSocket), once it started. */
  recordOperation(request: Request): void;
};

const GRAPHQL_ENDPOINT = '/graphql';

/**
 * Request headers a browser may send cross-origin: ours, W3C trace context and baggage (OpenTelemetry
 * and Sentry browser SDKs add them to every request), Apollo's client identification, and
 * Last-Event-ID for resumed subscriptions over SSE. CORS_ALLOW_HEADERS adds more.
 */
export const CORS_ALLOWED_HEADERS = [
  'content-type',
  'authorization',
  'x-request-id',
  'accept',
  'traceparent',
  'tracestate',
  'baggage',
  'sentry-trace',
  'apollographql-client-name',
  'apollographql-client-version',
  'last-event-id',
];

function corsOptions({ CORS_ORIGINS: origins, CORS_ALLOW_HEADERS: extra }: Config): CORSOptions {
  if (!origins) return false;
  return {
    origin: origins === '*' ? '*' : origins.split(','),
    allowedHeaders: [...new Set([...CORS_ALLOWED_HEADERS, ...extra])],
    exposedHeaders: ['x-request-id', 'retry-after'],
    methods: ['GET', 'POST', 'PUT', 'DELETE'],
    maxAge: 600,
  };
}

/** Throws ConfigError when a file named by the configuration (keys, manifest) is unusable. */
export function createGateway({ db, config, logger }: GatewayDeps): Gateway {
  const authenticate = createAuthenticator(config, logger);
  const manifest = loadManifest(config, schema, logger);
  const metrics = createMetrics(db.pool);
  const graphiql = config.GRAPHIQL ? createGraphiQLAssets() : undefined;
  const documents = documentCache();
  const live = new LiveContext(db, {
    retentionMs: config.EVENT_RETENTION,
    queueLimit: config.SUBSCRIPTION_QUEUE_SIZE,
    perClient: config.MAX_SUBSCRIPTIONS_PER_CLIENT,
    logger,
    metrics: metrics.live,
  });
  const tracing = createTracing(config);
  if (tracing) traceStatements(db.pool, tracing);
  const serveMetrics = config.NODE_ENV !== 'production' || config.METRICS_TOKEN !== undefined;
  if (!serveMetrics) logger.info('GET /metrics is off: under NODE_ENV=production it needs METRICS_TOKEN');
  const yoga = createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: GRAPHQL_ENDPOINT,
    // Yoga's own health check answers 200 whatever happens and runs before any plugin; ours
    // (readiness.ts) serves /health, so Yoga's gets a path no request URL ends with (URLs never
    // hold a raw space).
    healthCheckEndpoint: ' ',
    landingPage: false,
    graphiql: config.GRAPHIQL && { title: 'Context gateway' },
    ...(graphiql && { renderGraphiQL: graphiql.render }),
    cors: corsOptions(config),
    logging: logger,
    // Never guessed from NODE_ENV: our own policy (error-policy.ts) decides what clients see.
    maskedErrors: { isDev: false, maskError: maskKeepingCause },
    // Enforced by useBodyLimit instead: Yoga's own limit streams every body through a counter.
    maxRequestBodySize: false,
    batching: config.MAX_BATCH > 0 && { limit: config.MAX_BATCH },
    parserAndValidationCache: documents.caches,
    context: async ({ request }) => {
      const { id } = requestInfo(request);
      return { db: db.forRequest(request.signal), config, requestId: id, logger, auth: await authenticate(request), live };
    },
    // Order matters: identify the request (the request log notes what the metrics count), refuse
    // the unauthenticated, the over-budget and the unpersisted before parsing; then limit the
    // document's shape and cost before execution.
    plugins: [
      ...(tracing ? [useTracing(tracing)] : []),
      useRequestLog(logger, GRAPHQL_ENDPOINT),
      useMetrics(metrics, { token: config.METRICS_TOKEN, serve: serveMetrics }),
      useReadiness(
        () => db.isReady(),
        () => db.isHealthy(),
      ),
      ...(graphiql ? [graphiql.plugin] : []),
      // REST routes become GraphQL operations here, and meet every plugin after this one.
      useRest({ basePath: config.REST_BASE_PATH }),
      useBodyLimit(config.MAX_BODY_BYTES),
      useAuth(authenticate),
      useRequestShape({ production: config.NODE_ENV === 'production' }),
      useRateLimit(config, authenticate),
      // A REST route runs documents the gateway itself built, whatever the policy for clients' ones.
      ...usePersistedOperationPolicy(config, manifest, (request) => restRequest(request) !== undefined),
      ...useAbuseLimits(config),
      useCostLimit(config.MAX_COST),
      // The executor (graphql-js) answers whatever this one does not.
      useSqlJsonResponses(config.SQL_JSON_RESPONSES, metrics.countSqlJsonFallback),
      useErrorPolicy(logger),
      documents.plugin,
      // Last: its subscribe function is the one used.
      useLiveContext(live),
    ],
  });
  return Object.assign(yoga, {
    authenticate,
    recordOperation(request: Request) {
      const info = requestInfo(request);
      logRequest(logger, info, undefined, 'websocket');
      metrics.observeRequest(operationLabel(info), outcomeOf(info), (performance.now() - info.startedAt) / 1000);
    },
  });
}
