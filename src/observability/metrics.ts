// The Prometheus metrics of one gateway: requests by operation and outcome, their duration, the
// database pool, and the process's own (memory, CPU, event loop). A registry per gateway, so
// several gateways in one process (tests) never share counters.
import type pg from 'pg';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { LiveMetrics } from '../events/live-context.js';

// Operation names come from clients: past this many distinct names, new ones are counted as one
// label value, so a client cannot grow the metrics without bound.
const MAX_OPERATION_LABELS = 200;
export const OTHER_OPERATIONS = '(other)';

export interface GatewayMetrics {
  registry: Registry;
  observeRequest(operation: string, outcome: string, seconds: number): void;
  /** A query compiled to one statement whose statement failed: the executor answered it. */
  countSqlJsonFallback(): void;
  /** Live context: subscribers, events delivered and how late, subscriptions cut. */
  live: LiveMetrics;
}

export function createMetrics(pool: pg.Pool): GatewayMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const labelNames = ['operation', 'outcome'] as const;
  const requests = new Counter({
    name: 'graphql_requests_total',
    help: 'GraphQL requests by operation name and outcome (ok or the first error code).',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'graphql_request_duration_seconds',
    help: 'Time from receiving a GraphQL request to its response, by operation name and outcome.',
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const fallbacks = new Counter({
    name: 'graphql_sql_json_fallbacks_total',
    help: 'Queries compiled to one SQL statement that failed and were answered by the executor instead (each also logged as a warning); any is a gap to report.',
    registers: [registry],
  });
  const poolGauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  poolGauge('db_pool_connections_total', 'Connections open in the database pool.', () => pool.totalCount);
  poolGauge('db_pool_connections_idle', 'Open pool connections not in use.', () => pool.idleCount);
  poolGauge('db_pool_clients_waiting', 'Queries waiting for a pool connection.', () => pool.waitingCount);

  const subscribers = new Gauge({
    name: 'live_subscribers',
    help: 'Live context subscriptions open in this process (SSE and WebSocket).',
    registers: [registry],
  });
  const delivered = new Counter({
    name: 'live_events_delivered_total',
    help: 'Events handed to subscribers (one per subscriber that received it).',
    registers: [registry],
  });
  const dropped = new Counter({
    name: 'live_subscriptions_dropped_total',
    help: 'Subscriptions the gateway ended: overflow (fell behind), expired (credential), error.',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const lag = new Histogram({
    name: 'live_event_lag_seconds',
    help: 'From the commit of an event (as recorded by its write) to its delivery to a subscriber.',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });

  const operations = new Set<string>();
  return {
    registry,
    observeRequest(operation, outcome, seconds) {
      if (!operations.has(operation) && operations.size < MAX_OPERATION_LABELS) operations.add(operation);
      const labels = { operation: operations.has(operation) ? operation : OTHER_OPERATIONS, outcome };
      requests.inc(labels);
      duration.observe(labels, seconds);
    },
    countSqlJsonFallback: () => fallbacks.inc(),
    live: {
      subscribers: (delta) => subscribers.inc(delta),
      delivered(lagMs) {
        delivered.inc();
        lag.observe(Math.max(0, lagMs) / 1000);
      },
      dropped: (reason) => dropped.inc({ reason }),
    },
  };
}
