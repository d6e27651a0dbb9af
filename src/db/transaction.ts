// Runs a unit of work in one transaction on one pooled connection: every check a write depends
// on and the write itself commit together or not at all. A rule that writes with one statement
// may instead run without BEGIN/COMMIT (autocommit), that statement being atomic on its own.
import type pg from 'pg';
import { databaseKey } from './metadata-cache.js';
import { preparedStatement } from './prepared.js';

/** What a rule may do inside its transaction: run statements, prepared when they take values. */
export interface Tx {
  query<R extends pg.QueryResultRow = any>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
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
  for (const follower of commitFollowers.get(pool) ?? []) follower();
}

/** The Tx of a transaction begun on `client`. */
export function transactionOn(client: pg.ClientBase): Tx {
  return txThrough(client, databaseKey(client));
}

/**
 * A Tx without BEGIN/COMMIT, sparing two round trips: each statement commits on its own. Only for
 * rules that write with ONE statement, before which they at most read cached metadata.
 */
export function autocommit(pool: pg.Pool, database: string): Tx {
  const tx = txThrough(pool, database);
  return {
    database,
    async query(text, values) {
      const result = await tx.query(text, values);
      committed(pool);
      return result;
    },
  };
}

export async function withTransaction<T>(pool: pg.Pool, work: (tx: Tx) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(transactionOn(client));
    await client.query('COMMIT');
    committed(pool);
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
