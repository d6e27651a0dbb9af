// Concurrency tests hold a lock on one connection and need to know when a request has reached it.
import type { TestGateway } from './gateway.js';

/** Resolves, with how many match, once other sessions of `t`'s database match `condition` (on pg_stat_activity). */
export async function waitForSession(t: TestGateway, condition: string): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const [row] = await t.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND ${condition}`,
    );
    if (row.n > 0) return row.n;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no session matched ${condition}`);
}
