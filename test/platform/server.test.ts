import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { serverAudits } from 'graphql-http';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/database.js';
import { startEmbeddedDatabase } from '../../src/db/embedded.js';
import { createGateway } from '../../src/server/yoga.js';
import { createTestDatabase, createTestGateway, type TestGateway } from '../support/gateway.js';

let t: TestGateway;
beforeAll(async () => {
  t = await createTestGateway();
});
afterAll(() => t.close());

const get = (path: string, headers: Record<string, string> = {}) => t.gateway.fetch(`http://gateway.test${path}`, { headers });

describe('health and readiness', () => {
  it('GET /health answers 200', async () => {
    expect((await get('/health')).status).toBe(200);
  });

  it('GET /ready answers 200 when the database is reachable and migrated', async () => {
    const response = await get('/ready');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ready: true });
  });

  it('GET /ready answers 503 while a committed migration is not applied', async () => {
    const own = await createTestGateway();
    try {
      expect((await own.gateway.fetch('http://gateway.test/ready')).status).toBe(200);
      await own.sql(`DELETE FROM _prisma_migrations WHERE migration_name = (SELECT max(migration_name) FROM _prisma_migrations)`);
      const response = await own.gateway.fetch('http://gateway.test/ready');
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ ready: false });
    } finally {
      await own.close();
    }
  });

  it('GET /ready answers 503 once the database server is gone, /health still 200', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gateway-ready-'));
    const server = await startEmbeddedDatabase(dataDir);
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: server.connectionString });
    const logger = pino({ level: 'silent' });
    const db = await openDatabase(config, logger);
    const gateway = createGateway({ db, config, logger });
    try {
      expect((await gateway.fetch('http://gateway.test/ready')).status).toBe(200);
      await server.stop();
      expect((await gateway.fetch('http://gateway.test/ready')).status).toBe(503);
      expect((await gateway.fetch('http://gateway.test/health')).status).toBe(200);
    } finally {
      await db.close();
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('GraphQL over HTTP', () => {
  it('serves GraphiQL to a browser GET of /graphql', async () => {
    const response = await get('/graphql', { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('<title>Context gateway</title>');
    expect(html).toMatch(/graphiql/i);
  });

  it('passes every MUST of the graphql-http audit', async () => {
    const audits = serverAudits({ url: 'http://gateway.test/graphql', fetchFn: t.gateway.fetch });
    const results = await Promise.all(audits.map((audit) => audit.fn()));
    const failed = results.filter((r) => r.status === 'error').map((r) => `${r.name}: ${'reason' in r ? r.reason : ''}`);
    expect(results.filter((r) => r.name.startsWith('MUST')).length).toBeGreaterThan(10);
    expect(failed).toEqual([]);
  });

  it('answers a GET query with application/graphql-response+json', async () => {
    const response = await get(`/graphql?query=${encodeURIComponent('{ __typename }')}`, { accept: 'application/graphql-response+json' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('unexpected errors', () => {
  it('are masked as INTERNAL_SERVER_ERROR with the request id, and logged with their cause', async () => {
    const lines: Record<string, any>[] = [];
    const logger = pino({ level: 'error' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: await createTestDatabase() });
    const db = await openDatabase(config, logger);
    try {
      // A table gone from under the gateway stands for any bug: the SQL fails in a way no client caused.
      await db.pool.query('ALTER TABLE service RENAME TO service_gone');
      const gateway = createGateway({ db, config, logger });
      const response = await gateway.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'req-masked-1' },
        body: JSON.stringify({ query: '{ service(serviceId: "1") { serviceId } }' }),
      });
      const text = await response.text();
      expect(JSON.parse(text)).toEqual({
        data: { service: null },
        errors: [
          {
            message: 'Unexpected error.',
            path: ['service'],
            locations: [{ line: 1, column: 3 }],
            extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'req-masked-1' },
          },
        ],
      });
      expect(text).not.toMatch(/service_id|relation|SELECT|stack|\.ts|node_modules/i);
      const logged = lines.find((l) => l.requestId === 'req-masked-1');
      expect(logged?.err?.message).toMatch(/relation "service" does not exist/);
    } finally {
      await db.close();
    }
  });

  it('get a generated request id when the client sends none (or an unusable one)', async () => {
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: await createTestDatabase() });
    const db = await openDatabase(config, pino({ level: 'silent' }));
    try {
      await db.pool.query('ALTER TABLE service RENAME TO service_gone');
      const gateway = createGateway({ db, config, logger: pino({ level: 'silent' }) });
      const response = await gateway.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'bad id with spaces' },
        body: JSON.stringify({ query: '{ service(serviceId: "1") { serviceId } }' }),
      });
      const body = await response.json();
      expect(body.errors[0].extensions.requestId).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await db.close();
    }
  });
});
