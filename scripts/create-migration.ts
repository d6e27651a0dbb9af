// Creates prisma/migrations/<timestamp>_<name>/migration.sql from the change between the data model
// the last migration was made from (its schema.prisma snapshot) and prisma/schema.prisma.
// Usage: npm run db:migration:create -- <name>
// Review the SQL before committing; hand-written statements (partial indexes, data moves) may be
// appended, since the next diff starts from the snapshot, not from the database.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedDatabase } from '../src/db/embedded.js';
import { loadMigrations } from '../src/db/migrate.js';
import { openSchemaEngine } from '../src/db/schema-engine.js';
import { MIGRATIONS_DIR, PROJECT_ROOT } from '../src/paths.js';

const SNAPSHOT = 'schema.prisma';

async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name || !/^[a-z0-9_]+$/.test(name)) {
    throw new Error('usage: npm run db:migration:create -- <name> (lower-case letters, digits, _)');
  }
  const datamodel = await readFile(path.join(PROJECT_ROOT, 'prisma', 'schema.prisma'), 'utf8');
  const last = (await loadMigrations()).migrationDirectories.at(-1)?.path;
  const previous = last ? await readFile(path.join(MIGRATIONS_DIR, last, SNAPSHOT), 'utf8') : undefined;

  // The engine insists on a database connection even for a model-to-model diff; it reads nothing.
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'migration-diff-'));
  const db = await startEmbeddedDatabase(dataDir);
  try {
    const { engine, close } = await openSchemaEngine({ connectionString: db.connectionString });
    const { stdout } = await engine.diff({
      from: previous ? { tag: 'schemaDatamodel', files: [{ path: SNAPSHOT, content: previous }] } : { tag: 'empty' },
      to: { tag: 'schemaDatamodel', files: [{ path: SNAPSHOT, content: datamodel }] },
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    await close();
    const sql = stdout ?? '';
    if (!/\S/.test(sql.replace(/^--.*$/gm, ''))) {
      console.log('schema.prisma has no change since the last migration; nothing created');
      return;
    }
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const folder = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, 'migration.sql'), sql);
    await writeFile(path.join(folder, SNAPSHOT), datamodel);
    await writeFile(path.join(MIGRATIONS_DIR, 'migration_lock.toml'), 'provider = "postgresql"\n');
    console.log(`created ${path.relative(PROJECT_ROOT, folder)}/migration.sql`);
  } finally {
    await db.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
