// Runs a unit of work in one transaction on one pooled connection: every check a write depends
// on and the write itself commit together or not at all. A rule that writes with one statement
// may instead run without BEGIN/COMMIT (autocommit), that statement being atomic on its own.
import type pg from 'pg';
import { preparedStatement } from './prepared.js';
import { basePool, NO_ANSWER_GRACE_MS } from './request-pool.js';
import { isDatabaseUnavailable } from './unavailable.js';

/** Identifies the database a client talks to (tests run many databases in one process). */
export function databaseKey(client: pg.ClientBase): string {
  const { host, port, database } = client as pg.ClientBase & { host?: string; port?: number; database?: string };
  return `${host}:${port}/${database}`;
}

/** What a rule may do inside its transaction: run statements, prepared when they take values. */
export interface Tx {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
  /** Which database (databaseKey), for the caches of its metadata. */
  database: string;
}

/** A Tx sending its statements through `target`, prepared when they take values. */
function txThrough(target: pg.ClientBase | pg.Pool, database: string): Tx {
  return { query: (text, values) => target.query(values ? preparedStatement(text, values) : text), database };
}

/** What is told, per pool, that a write committed (live context wakes its readers). */
const commitFollowers = new WeakMap<pg.Pool, (() => void)[]>();

/** Calls `follower` after each write committed through `pool`. */
export function followCommits(pool: pg.Pool, follower: () => void): void {
  const followers = commitFollowers.get(pool);
  if (followers) followers.push(follower);
  else commitFollowers.set(pool, [follower]);
}

function committed(pool: pg.Pool): void {
  for (const follower of commitFollowers.get(basePool(pool)) ?? []) follower();
}

/** The Tx of a transaction begun on `client`. */
export function transactionOn(client: pg.ClientBase): Tx {
  return txThrough(client, databaseKey(client));
}

/** The Tx of a transaction whose statements may each run `timeoutMs`, beyond the configured statement timeout. */
function longTransactionOn(client: pg.ClientBase, timeoutMs: number): Tx {
  const query_timeout = timeoutMs + NO_ANSWER_GRACE_MS;
  return {
    // query_timeout: the driver's per-statement bound, which pg reads but does not type.
    query: (text, values) => client.query({ ...(values ? preparedStatement(text, values) : { text }), query_timeout } as pg.QueryConfig),
    database: databaseKey(client),
  };
}

/**
 * A Tx without BEGIN/COMMIT, sparing two round trips: each statement commits on its own. Only for
 * rules that write with ONE statement, before which they at most read cached metadata.
 */
export function autocommit(pool: pg.Pool, database: string): Tx {
  const tx = txThrough(pool, database);
  return {
    database,
    async query<R extends pg.QueryResultRow>(text: string, values?: unknown[]) {
      const result = await tx.query<R>(text, values);
      committed(pool);
      return result;
    },
  };
}

/**
 * Runs `work` in a transaction. `timeoutMs` lets each of its statements run that long instead of
 * DB_STATEMENT_TIMEOUT_MS: for administrative work over whole tables, never for a client's request.
 */
export async function withTransaction<T>(
  pool: pg.Pool,
  work: (tx: Tx) => Promise<T>,
  { timeoutMs }: { timeoutMs?: number } = {},
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    if (timeoutMs !== undefined) await client.query(`SET LOCAL statement_timeout = ${Math.trunc(timeoutMs)}`);
    const result = await work(timeoutMs === undefined ? transactionOn(client) : longTransactionOn(client, timeoutMs));
    await client.query('COMMIT');
    committed(pool);
    return result;
  } catch (error) {
    // A connection that is lost or did not answer is closed, not rolled back: the server rolls
    // back when it sees it close, and waiting on it again would only double the wait.
    if (isDatabaseUnavailable(error)) broken = error as Error;
    else await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
    throw error;
  } finally {
    client.release(broken);
  }
}
