import { readdirSync } from 'node:fs';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { applyMigrations, pendingMigrations } from '../../src/db/migrate.js';
import { MIGRATIONS_DIR } from '../../src/paths.js';
import { createTestDatabase, queryDatabase } from '../support/gateway.js';

const committed = readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

const recorded = (url: string) =>
  queryDatabase<{ migration_name: string; finished: boolean }>(
    url,
    'SELECT migration_name, finished_at IS NOT NULL AS finished FROM _prisma_migrations ORDER BY migration_name',
  );

describe('migrations', () => {
  it('apply every committed migration to an empty database, and nothing the second time', async () => {
    expect(committed.length).toBeGreaterThan(0);
    const url = await createTestDatabase({ empty: true });
    expect(await queryDatabase(url, `SELECT 1 FROM pg_tables WHERE schemaname = 'public'`)).toEqual([]);

    expect(await applyMigrations(url)).toEqual(committed);
    const tables = (await queryDatabase<{ tablename: string }>(url, `SELECT tablename FROM pg_tables WHERE schemaname = 'public'`)).map(
      (r) => r.tablename,
    );
    expect(tables).toEqual(expect.arrayContaining(['customer', 'service', 'state', 'task', 'business_attribute', '_prisma_migrations']));
    expect(await recorded(url)).toEqual(committed.map((migration_name) => ({ migration_name, finished: true })));

    expect(await applyMigrations(url)).toEqual([]);
    expect(await recorded(url)).toHaveLength(committed.length);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    expect(await pendingMigrations(client, committed)).toEqual([]);
    await client.end();
  });

  it('applied by two gateways at once on one fresh database: both succeed, each migration recorded once', async () => {
    const url = await createTestDatabase({ empty: true });
    const [first, second] = await Promise.all([applyMigrations(url), applyMigrations(url)]);
    // The advisory lock serialises them: one applies everything, the other finds nothing to do.
    expect([first, second].sort((a, b) => a.length - b.length)).toEqual([[], committed]);
    expect(await recorded(url)).toEqual(committed.map((migration_name) => ({ migration_name, finished: true })));
  });
});
