import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../support/gateway.js';

const METRICS_TOKEN = 'a-scrape-token-of-some-length';
let t: TestGateway;
beforeAll(async () => {
  t = await createTestGateway({ LOG_LEVEL: 'info', METRICS_TOKEN });
});
afterAll(() => t.close());

const requestLines = () => t.logs.filter((line) => line.msg === 'graphql request');

async function scrape(): Promise<string> {
  const response = await t.gateway.fetch('http://gateway.test/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  return response.text();
}

function sample(metrics: string, name: string, labels = ''): number {
  const line = metrics.split('\n').find((l) => l.startsWith(labels ? `${name}{${labels}} ` : `${name} `));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('request ids and logs', () => {
  it('returns the caller’s X-Request-Id, or a fresh one when it is absent or unusable', async () => {
    const given = await t.post({ query: '{ __typename }' }, { 'x-request-id': 'desk-42.a:b' });
    expect(given.headers.get('x-request-id')).toBe('desk-42.a:b');
    for (const headers of [{}, { 'x-request-id': 'has spaces and "quotes"' }, { 'x-request-id': 'x'.repeat(129) }] as Record<
      string,
      string
    >[]) {
      const fresh = await t.post({ query: '{ __typename }' }, headers);
      expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('logs one JSON line per request with id, operation, caller, status, outcome and duration', async () => {
    await t.post({ query: 'query Ping { __typename }' }, { 'x-request-id': 'log-1' });
    await t.post({ query: 'query Bad($n: Int) { service(serviceId: $n) { serviceId } }' }, { 'x-request-id': 'log-2' });
    const [ok] = requestLines().filter((l) => l.requestId === 'log-1');
    expect(ok).toMatchObject({ level: 'info', operation: 'Ping', principal: 'anonymous', status: 200, outcome: 'ok' });
    expect(ok.durationMs).toBeGreaterThan(0);
    // Refused in validation: nothing ran, so no operation.
    expect(requestLines().filter((l) => l.requestId === 'log-2')).toEqual([
      expect.objectContaining({ operation: '(none)', status: 400, outcome: 'BAD_USER_INPUT' }),
    ]);
  });
});

describe('metrics', () => {
  it('counts requests by operation and outcome, and reports the pool', async () => {
    const labels = 'operation="CountMe",outcome="ok"';
    const before = await scrape();
    for (let i = 0; i < 3; i++) await t.ok('query CountMe { customer(customerId: "nobody") { customerId } }');
    await t.post({ query: 'query CountMe($x: String!) { customer(customerId: $x) { customerId } }' });
    const after = await scrape();
    expect(sample(after, 'graphql_requests_total', labels) - sample(before, 'graphql_requests_total', labels)).toBe(3);
    expect(sample(after, 'graphql_request_duration_seconds_count', labels)).toBe(3);
    expect(sample(after, 'graphql_requests_total', 'operation="(none)",outcome="BAD_USER_INPUT"')).toBeGreaterThanOrEqual(1);
    expect(after).toMatch(/^db_pool_connections_total \d+$/m);
    expect(after).toMatch(/^db_pool_connections_idle \d+$/m);
    expect(after).toMatch(/^db_pool_clients_waiting 0$/m);
    expect(after).toMatch(/^process_resident_memory_bytes \d+/m);
  });

  it('counts and logs a query whose compiled statement failed, which the executor then answered', async () => {
    const before = sample(await scrape(), 'graphql_sql_json_fallbacks_total');
    await t.sql(`INSERT INTO customer (customer_id) VALUES ('fallback-1') ON CONFLICT DO NOTHING`);
    // A fault only the one-statement path meets (its statements alone start so).
    const response = await t.failStatements(
      (text) => text.startsWith('SELECT (SELECT '),
      new Error('injected failure'),
      () => t.post({ query: '{ customer(customerId: "fallback-1") { customerId } }' }, { 'x-request-id': 'fallback-1' }),
    );
    expect(response.body).toEqual({ data: { customer: { customerId: 'fallback-1' } } });
    expect(sample(await scrape(), 'graphql_sql_json_fallbacks_total') - before).toBe(1);
    expect(t.logs.find((line) => line.requestId === 'fallback-1' && line.level === 'warn')).toMatchObject({
      msg: 'query not answered as JSON text; the executor answers it',
      err: { message: 'injected failure' },
    });
  });

  it('serves no metrics in production without METRICS_TOKEN, and serves them in development', async () => {
    const production = await createTestGateway({ NODE_ENV: 'production', AUTH_MODE: 'none', PERSISTED_OPERATIONS: 'allow' }, t.databaseUrl);
    const development = await createTestGateway({}, t.databaseUrl);
    try {
      expect((await production.gateway.fetch('http://gateway.test/metrics')).status).toBe(404);
      expect((await development.gateway.fetch('http://gateway.test/metrics')).status).toBe(200);
    } finally {
      await Promise.all([production.close(), development.close()]);
    }
  });

  it('asks for METRICS_TOKEN when one is set', async () => {
    for (const authorization of [undefined, 'Bearer wrong', `Bearer ${METRICS_TOKEN}x`]) {
      const response = await t.gateway.fetch('http://gateway.test/metrics', { headers: authorization ? { authorization } : {} });
      expect(response.status).toBe(401);
    }
  });
});

describe('masked errors', () => {
  it('hides an unexpected failure behind INTERNAL_SERVER_ERROR and its request id, and logs the cause with that id', async () => {
    await t.sql('ALTER TABLE customer RENAME TO customer_moved');
    try {
      const response = await t.post({ query: '{ customer(customerId: "C1") { customerId } }' }, { 'x-request-id': 'broken-1' });
      expect(response.body.data).toEqual({ customer: null });
      expect(response.body.errors).toEqual([
        expect.objectContaining({
          message: 'Unexpected error.',
          path: ['customer'],
          extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'broken-1' },
        }),
      ]);
      expect(JSON.stringify(response.body)).not.toMatch(/relation|customer_moved|SELECT/);
      const cause = t.logs.find((line) => line.msg === 'unexpected error' && line.requestId === 'broken-1');
      expect(cause).toMatchObject({ level: 'error', path: ['customer'], err: { message: 'relation "customer" does not exist' } });
      expect(requestLines().find((l) => l.requestId === 'broken-1')).toMatchObject({ outcome: 'INTERNAL_SERVER_ERROR' });
    } finally {
      await t.sql('ALTER TABLE customer_moved RENAME TO customer');
    }
  });
});
