// Applies the committed SQL migrations in prisma/migrations, recording them in Prisma's
// `_prisma_migrations` table exactly as `prisma migrate deploy` would, without the CLI's engine.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { MigrationList } from '@prisma/schema-engine-wasm';
import pg from 'pg';
import { MIGRATIONS_DIR } from '../paths.js';
import { openSchemaEngine } from './schema-engine.js';

// Any constant works as long as every gateway uses the same one.
const MIGRATION_LOCK_KEY = 4_207_260_001;

export async function loadMigrations(dir = MIGRATIONS_DIR): Promise<MigrationList> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const folders = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const lockPath = path.join(dir, 'migration_lock.toml');
  return {
    baseDir: dir,
    lockfile: { path: 'migration_lock.toml', content: await readFile(lockPath, 'utf8').catch(() => null) },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(
      folders.map(async (folder) => ({
        path: folder,
        migrationFile: {
          path: 'migration.sql',
          content: await readFile(path.join(dir, folder, 'migration.sql'), 'utf8').then(
            (sql) => ({ tag: 'ok' as const, value: sql }),
            (error: Error) => ({ tag: 'error' as const, value: error.message }),
          ),
        },
      })),
    ),
  };
}

/**
 * Applies every migration not yet recorded and returns the names applied. Concurrent callers on
 * one database are serialised by an advisory lock, so the second finds nothing left to do. The
 * engine takes a lock of its own, but gives up on it after 10 s; ours waits for as long as the
 * first gateway's migrations take.
 */
export async function applyMigrations(connectionString: string, onLog?: (line: string) => void): Promise<string[]> {
  const migrationsList = await loadMigrations();
  const lock = new pg.Client({ connectionString });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const { engine, close } = await openSchemaEngine({ connectionString, onLog });
    try {
      const { appliedMigrationNames } = await engine.applyMigrations({
        migrationsList,
        filters: { externalTables: [], externalEnums: [] },
      });
      return appliedMigrationNames;
    } finally {
      await close();
    }
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
    await lock.end();
  }
}

/** Names of the committed migrations, in the order they apply. */
export async function committedMigrations(): Promise<string[]> {
  return (await loadMigrations()).migrationDirectories.map((m) => m.path);
}

/**
 * Which of `committed` the database has not recorded as finished. The caller reads the
 * committed names once: /ready asks this on every probe and the folder does not change.
 */
export async function pendingMigrations(client: pg.Pool | pg.Client, committed: string[]): Promise<string[]> {
  const applied = await client
    .query<{ migration_name: string }>(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    )
    .then((r) => new Set(r.rows.map((row) => row.migration_name)));
  return committed.filter((name) => !applied.has(name));
}
