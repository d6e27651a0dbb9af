// A sick database gets bounded answers: every connection carries the configured timeouts, a
// statement of a client that went away is cancelled in PostgreSQL, and a database that cannot be
// reached, does not answer in time, or is lost for good is said so (SERVICE_UNAVAILABLE, HTTP 503
// with Retry-After, a log line with the cause; /ready and /health within 2 s).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeze, postmaster, thaw } from '../../chaos/postgres.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/database.js';
import { startEmbeddedDatabase } from '../../src/db/embedded.js';
import { applyMigrations } from '../../src/db/migrate.js';
import { createGateway } from '../../src/server/yoga.js';
import { createTestGateway, type TestGateway } from '../support/gateway.js';

const READ = '{ service(serviceId: "1") { serviceId } }';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Holds ACCESS EXCLUSIVE on the service table in a transaction of its own until `release`. */
async function lockServices(databaseUrl: string): Promise<{ release: () => Promise<void> }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query('BEGIN');
  await client.query('LOCK TABLE service IN ACCESS EXCLUSIVE MODE');
  return {
    release: async () => {
      await client.query('ROLLBACK');
      await client.end();
    },
  };
}

const timed = async <T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> => {
  const started = performance.now();
  const result = await work();
  return { ms: performance.now() - started, result };
};

function expectUnavailable(response: { status: number; headers: Headers; body: any }, requestId: string) {
  expect(response.status).toBe(503);
  expect(response.headers.get('retry-after')).toBe('5');
  expect(response.body.errors[0]).toMatchObject({
    message: 'The database is unavailable; retry later.',
    extensions: { code: 'SERVICE_UNAVAILABLE', requestId, retryAfter: 5 },
  });
  // The cause is in the log, not in the answer.
  expect(response.body.errors.map((e: { message: string }) => e.message)).toEqual(['The database is unavailable; retry later.']);
}

describe('timeouts on every connection', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await createTestGateway({
      LOG_LEVEL: 'warn',
      DB_STATEMENT_TIMEOUT_MS: '60000',
      DB_LOCK_TIMEOUT_MS: '300',
      DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: '7000',
    });
  });
  afterAll(() => t.close());

  it('sets statement, lock and idle-in-transaction timeouts from the configuration', async () => {
    expect(
      await t.sql(
        `SELECT current_setting('statement_timeout') AS statement, current_setting('lock_timeout') AS lock,
                current_setting('idle_in_transaction_session_timeout') AS idle`,
      ),
    ).toEqual([{ statement: '1min', lock: '300ms', idle: '7s' }]);
  });

  it('answers SERVICE_UNAVAILABLE (503, Retry-After) when a lock is not granted in time, and logs the cause', async () => {
    const lock = await lockServices(t.databaseUrl);
    try {
      const { ms, result } = await timed(() => t.post({ query: READ }, { 'x-request-id': 'lock-wait-1' }));
      expectUnavailable(result, 'lock-wait-1');
      expect(ms).toBeLessThan(2000);
    } finally {
      await lock.release();
    }
    expect(t.logs.find((l) => l.requestId === 'lock-wait-1')).toMatchObject({
      level: 'warn',
      msg: 'database unavailable',
      err: { message: 'canceling statement due to lock timeout', code: '55P03' },
    });
  });

  it('cancels the statement of a request whose client went away', async () => {
    const own = await createTestGateway({ DB_LOCK_TIMEOUT_MS: '60000', DB_STATEMENT_TIMEOUT_MS: '60000' });
    const lock = await lockServices(own.databaseUrl);
    const waiting = () =>
      own.sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
    try {
      const client = new AbortController();
      const request = Promise.resolve(
        own.gateway.fetch('http://gateway.test/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: READ }),
          signal: client.signal,
        }),
      ).catch(() => 'aborted');
      const deadline = Date.now() + 5000;
      while ((await waiting())[0].n === 0 && Date.now() < deadline) await sleep(50);
      expect((await waiting())[0].n).toBe(1);
      client.abort();
      expect(await request).toBe('aborted');
      const gone = Date.now() + 2000;
      while ((await waiting())[0].n > 0 && Date.now() < gone) await sleep(50);
      expect((await waiting())[0].n).toBe(0);
    } finally {
      await lock.release();
      await own.close();
    }
  });
});

describe('a statement running past DB_STATEMENT_TIMEOUT_MS', () => {
  it('is cancelled by PostgreSQL and answered SERVICE_UNAVAILABLE', async () => {
    const t = await createTestGateway({ DB_STATEMENT_TIMEOUT_MS: '300', DB_LOCK_TIMEOUT_MS: '60000' });
    const lock = await lockServices(t.databaseUrl);
    try {
      const { ms, result } = await timed(() => t.post({ query: READ }, { 'x-request-id': 'slow-1' }));
      expectUnavailable(result, 'slow-1');
      expect(ms).toBeLessThan(2000);
    } finally {
      await lock.release();
      await t.close();
    }
  });
});

describe('a database server of its own, frozen, then gone', () => {
  let dataDir: string;
  let server: Awaited<ReturnType<typeof startEmbeddedDatabase>>;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'gateway-frozen-'));
    server = await startEmbeddedDatabase(dataDir);
    await applyMigrations(server.connectionString);
  });
  afterAll(async () => {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers every request within the statement timeout + 1 s while frozen, /ready within 2 s, and serves again once back', async () => {
    const lines: Record<string, any>[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: server.connectionString, DB_STATEMENT_TIMEOUT_MS: '1000' });
    const db = await openDatabase(config, logger);
    const gateway = createGateway({ db, config, logger });
    const post = async (requestId: string) => {
      const response = await gateway.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': requestId },
        body: JSON.stringify({ query: 'mutation { startService(input: { contactKey: "frozen" }) { service { serviceId } } }' }),
      });
      return { status: response.status, headers: response.headers, body: (await response.json()) as any };
    };
    try {
      expect((await post('before')).status).toBe(200);
      const pids = freeze(postmaster(path.join(dataDir, 'pg'))!);
      try {
        const answers = await Promise.all(['frozen-1', 'frozen-2', 'frozen-3'].map((id) => timed(() => post(id))));
        for (const [i, { ms, result }] of answers.entries()) {
          expectUnavailable(result, `frozen-${i + 1}`);
          expect(ms).toBeLessThan(2000);
        }
        const ready = await timed(async () => gateway.fetch('http://gateway.test/ready'));
        expect(ready.result.status).toBe(503);
        expect(ready.ms).toBeLessThan(2000);
      } finally {
        thaw(pids);
      }
      expect((await gateway.fetch('http://gateway.test/ready')).status).toBe(200);
      expect((await post('after')).status).toBe(200);
      expect(lines.find((l) => l.requestId === 'frozen-1')).toMatchObject({
        msg: 'database unavailable',
        err: { message: 'the database did not answer within 1500 ms' },
      });

      await server.stop();
      const gone = await post('gone-1');
      expectUnavailable(gone, 'gone-1');
      expect(lines.find((l) => l.requestId === 'gone-1')).toMatchObject({ msg: 'database unavailable', err: { code: 'ECONNREFUSED' } });
      expect((await gateway.fetch('http://gateway.test/health')).status).toBe(200);
    } finally {
      await db.close();
    }
  });
});

describe('an embedded server that cannot be started again', () => {
  it('turns /health to 503 and tells the process to give up', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gateway-lost-'));
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dataDir });
    const logger = pino({ level: 'silent' });
    let lost: (reason: string) => void = () => {};
    const fatal = new Promise<string>((resolve) => (lost = resolve));
    const db = await openDatabase(config, logger, { onFatal: (reason) => lost(reason) });
    const gateway = createGateway({ db, config, logger });
    try {
      expect((await gateway.fetch('http://gateway.test/health')).status).toBe(200);
      // Without its version file the data folder looks uninitialised, and initdb refuses it.
      await rm(path.join(dataDir, 'pg', 'PG_VERSION'));
      process.kill(postmaster(path.join(dataDir, 'pg'))!.pid, 'SIGKILL');
      expect(await fatal).toBe('the embedded PostgreSQL did not restart after 3 attempts');
      const health = await gateway.fetch('http://gateway.test/health');
      expect(health.status).toBe(503);
      expect(await health.json()).toEqual({ healthy: false });
    } finally {
      await db.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
