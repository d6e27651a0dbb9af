// Opens the database the gateway runs on: an embedded server when DATABASE_URL is unset, the
// given server otherwise; applies pending migrations, then hands out the pool and Prisma client.
// Every connection carries the configured timeouts; an embedded server that dies is restarted a
// bounded number of times, after which the gateway is told to give up (onFatal).
import pg from 'pg';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { createDb, type Db } from './client.js';
import { type EmbeddedDatabase, startEmbeddedDatabase } from './embedded.js';
import { Listener } from './listener.js';
import { listenForMetadataChanges } from './metadata-cache.js';
import { applyMigrations, committedMigrations, pendingMigrations } from './migrate.js';
import { NO_ANSWER_GRACE_MS, requestPool } from './request-pool.js';
import { databaseKey } from './transaction.js';

export interface Database {
  pool: pg.Pool;
  /** Its databaseKey, which names its metadata caches. */
  key: string;
  prisma: Db;
  /** The process's one listening connection (LISTEN/NOTIFY), shared by everything that follows a channel. */
  listener: Listener;
  /** This database as one request uses it: statements bounded in time, cancelled when `signal` aborts. */
  forRequest(signal: AbortSignal): Database;
  /** True when the server answers (within READY_TIMEOUT_MS) and every committed migration is applied. */
  isReady(): Promise<boolean>;
  /** False once the gateway cannot get its database back by itself. */
  isHealthy(): boolean;
  close(): Promise<void>;
}

export type DatabaseConfig = Pick<
  Config,
  | 'DATABASE_URL'
  | 'DATA_DIR'
  | 'DB_POOL_SIZE'
  | 'DB_CONNECT_TIMEOUT_MS'
  | 'DB_STATEMENT_TIMEOUT_MS'
  | 'DB_LOCK_TIMEOUT_MS'
  | 'DB_IDLE_IN_TRANSACTION_TIMEOUT_MS'
>;

/** /ready answers within this, whatever the database does. */
const READY_TIMEOUT_MS = 1500;
/** Restarts of a dead embedded server: attempts per death, the pause before each, and deaths tolerated per window. */
const RESTART_ATTEMPTS = 3;
const RESTART_PAUSE_MS = [250, 1000, 3000];
const MAX_DEATHS = 5;
const DEATH_WINDOW_MS = 10 * 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Restarts the embedded server each time it dies; calls `onFatal` when it will not come back (its
 * restarts failed, or it died too often), so the process can exit for a supervisor to restart.
 */
function superviseEmbedded(embedded: EmbeddedDatabase, logger: Logger, onFatal: (reason: string) => void): (how: string) => void {
  const deaths: number[] = [];
  return (how) => {
    const now = Date.now();
    deaths.push(now);
    while (deaths[0] < now - DEATH_WINDOW_MS) deaths.shift();
    if (deaths.length > MAX_DEATHS) {
      onFatal(`the embedded PostgreSQL died ${deaths.length} times in ${DEATH_WINDOW_MS / 60_000} minutes (last: ${how})`);
      return;
    }
    logger.error({ how }, 'embedded PostgreSQL stopped unexpectedly; restarting it');
    void (async () => {
      for (let attempt = 1; attempt <= RESTART_ATTEMPTS; attempt++) {
        await sleep(RESTART_PAUSE_MS[attempt - 1]);
        try {
          await embedded.restart();
          logger.warn({ attempt }, 'embedded PostgreSQL restarted');
          return;
        } catch (error) {
          logger.error({ err: error, attempt, of: RESTART_ATTEMPTS }, 'embedded PostgreSQL did not restart');
        }
      }
      onFatal(`the embedded PostgreSQL did not restart after ${RESTART_ATTEMPTS} attempts`);
    })();
  };
}

export async function openDatabase(
  config: DatabaseConfig,
  logger: Logger,
  { onFatal = () => {} }: { onFatal?: (reason: string) => void } = {},
): Promise<Database> {
  let healthy = true;
  const fatal = (reason: string) => {
    healthy = false;
    logger.fatal({ reason }, 'the database is lost for good');
    onFatal(reason);
  };
  let recover = (_how: string) => {};
  const embedded = config.DATABASE_URL
    ? undefined
    : await startEmbeddedDatabase(config.DATA_DIR, {
        onLog: (line) => logger.debug({ postgres: line }),
        onNotice: (message, details) => logger.warn(details, message),
        onExit: (how) => recover(how),
      });
  if (embedded) recover = superviseEmbedded(embedded, logger, fatal);
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
  const deadlineMs = config.DB_STATEMENT_TIMEOUT_MS + NO_ANSWER_GRACE_MS;
  // The timeouts travel in each connection's startup packet (behind PgBouncer, list them in its
  // ignore_startup_parameters); query_timeout is the driver's own bound on a silent server. The
  // pool and the listening connection open connections alike.
  const connection: pg.ClientConfig = {
    connectionString,
    connectionTimeoutMillis: config.DB_CONNECT_TIMEOUT_MS,
    statement_timeout: config.DB_STATEMENT_TIMEOUT_MS,
    lock_timeout: config.DB_LOCK_TIMEOUT_MS,
    idle_in_transaction_session_timeout: config.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    query_timeout: deadlineMs,
    keepAlive: true,
  };
  // One pool serves our SQL and the Prisma client. pg returns int8 as strings, which is what the
  // API wants for 64-bit ids; the tree's JSON carries timestamps already formatted by SQL.
  const pool = new pg.Pool({ ...connection, max: config.DB_POOL_SIZE });
  // An idle client whose server went away emits here; without a listener the process would crash.
  // (Not `err: error`: pg attaches the whole client to this error, a hundred lines of noise.)
  pool.on('error', (error) => logger.warn({ reason: error.message }, 'idle database connection lost'));
  const prisma = createDb(pool);
  const listener = new Listener(connection, (error, retryMs) =>
    logger.warn({ reason: error.message, retryMs }, 'listening connection lost: reconnecting'),
  );
  const key = databaseKey(await listener.start());
  await listenForMetadataChanges(listener, key, (error) =>
    logger.warn({ reason: error.message }, 'not listening: metadata is read from the database on every write until listening again'),
  );

  const readinessPool = requestPool(pool, new AbortController().signal, READY_TIMEOUT_MS);
  let probe: Promise<boolean> | undefined;
  const database: Database = {
    pool,
    key,
    listener,
    prisma,
    forRequest(signal) {
      return { ...database, pool: requestPool(pool, signal, deadlineMs) };
    },
    isReady() {
      // One probe at a time: while the database hangs, probes share the answer instead of
      // taking a connection each.
      probe ??= pendingMigrations(readinessPool, committed).then(
        (pending) => pending.length === 0,
        () => false,
      );
      const answer = probe;
      void answer.then(() => {
        if (probe === answer) probe = undefined;
      });
      return answer;
    },
    isHealthy: () => healthy,
    async close() {
      await listener.close();
      await prisma.$disconnect();
      await pool.end();
      await embedded?.stop();
    },
  };
  return database;
}
