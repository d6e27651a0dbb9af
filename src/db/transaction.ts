// Runs a unit of work in one transaction on one pooled connection: every check a write depends
// on and the write itself commit together or not at all.
import type pg from 'pg';

export type Tx = pg.PoolClient;

export async function withTransaction<T>(pool: pg.Pool, work: (tx: Tx) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
