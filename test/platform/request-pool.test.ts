// A request's view of the pool: when its client goes away, the statement it is running is
// cancelled, and the connection that statement ran on is closed, never handed to another request
// (PostgreSQL cancels whatever a backend runs when the cancel arrives, which could by then be the
// next request's statement).
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestPool } from '../../src/db/request-pool.js';
import { createTestDatabase } from '../support/gateway.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a request whose client goes away', () => {
  let pool: pg.Pool;
  let observer: pg.Pool;
  beforeAll(async () => {
    const url = await createTestDatabase({ empty: true });
    // One connection, so "the next request" can only get the same one or a new one.
    pool = new pg.Pool({ connectionString: url, max: 1 });
    observer = new pg.Pool({ connectionString: url, max: 1 });
  });
  afterAll(async () => {
    await pool.end();
    await observer.end();
  });

  const backendPid = async () => (await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
  const sleeping = async (pid: number) =>
    (await observer.query(`SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND query LIKE '%pg_sleep%' AND state = 'active'`, [pid]))
      .rowCount === 1;
  async function whileRunning(pid: number, start: (signal: AbortSignal) => Promise<unknown>) {
    const client = new AbortController();
    const outcome = start(client.signal).then(
      () => 'finished',
      (error: Error) => error.message,
    );
    const deadline = Date.now() + 5000;
    while (!(await sleeping(pid)) && Date.now() < deadline) await sleep(20);
    client.abort();
    return outcome;
  }

  it('has its statement cancelled and its connection closed', async () => {
    const before = await backendPid();
    const outcome = await whileRunning(before, (signal) => requestPool(pool, signal, 30_000).query('SELECT pg_sleep(20)'));
    expect(outcome).toBe('canceling statement due to user request');
    expect(await backendPid()).not.toBe(before);
  });

  it('in a transaction, has its connection closed when the transaction gives it back', async () => {
    const before = await backendPid();
    const outcome = await whileRunning(before, async (signal) => {
      const client = await requestPool(pool, signal, 30_000).connect();
      try {
        await client.query('BEGIN');
        await client.query('SELECT pg_sleep(20)');
      } finally {
        await client.query('ROLLBACK').catch(() => {});
        client.release();
      }
    });
    expect(outcome).toBe('canceling statement due to user request');
    expect(await backendPid()).not.toBe(before);
  });

  it('leaves the connection of a request that was not cancelled in the pool', async () => {
    const before = await backendPid();
    await requestPool(pool, new AbortController().signal, 30_000).query('SELECT 1');
    expect(await backendPid()).toBe(before);
  });
});
