// Process-wide caches of small, rarely changed metadata (business attribute mappings, extension
// schemas), so a write does not spend a round trip re-reading them. Every change NOTIFYs the
// channel below in its transaction; each gateway LISTENs and drops its copy when the
// notification arrives (after the commit). Without a working listener for a database nothing is
// cached for it.
import type pg from 'pg';
import type { Tx } from './transaction.js';

export const METADATA_CHANNEL = 'context_metadata';

interface DatabaseCache {
  listening: boolean;
  entries: Map<string, Promise<unknown>>;
}

const databases = new Map<string, DatabaseCache>();

/** Identifies the database a client talks to (tests run many databases in one process). */
export function databaseKey(client: pg.ClientBase): string {
  const { host, port, database } = client as pg.ClientBase & { host?: string; port?: number; database?: string };
  return `${host}:${port}/${database}`;
}

function cacheFor(key: string): DatabaseCache {
  let cache = databases.get(key);
  if (!cache) databases.set(key, (cache = { listening: false, entries: new Map() }));
  return cache;
}

/** The value `name` for `database` (a databaseKey), loaded once until the next change. */
export function cachedMetadata<T>(database: string, name: string, load: () => Promise<T>): Promise<T> {
  const cache = cacheFor(database);
  if (!cache.listening) return load();
  let entry = cache.entries.get(name) as Promise<T> | undefined;
  if (!entry) {
    entry = load();
    cache.entries.set(name, entry);
    // A failed load must not stay cached.
    entry.catch(() => cache.entries.delete(name));
  }
  return entry;
}

export function invalidateMetadata(key: string): void {
  databases.get(key)?.entries.clear();
}

/**
 * Tells every gateway on this database to drop its cached metadata once this transaction
 * commits. This process also drops its copy now, so its next request after the answer cannot
 * use a copy loaded before the change, even if the notification is still on its way.
 */
export async function notifyMetadataChanged(tx: Tx): Promise<void> {
  await tx.query('SELECT pg_notify($1, $2)', [METADATA_CHANNEL, '']);
  invalidateMetadata(tx.database);
}

/**
 * Listens for metadata changes on a connection of its own; caching for the database is on only
 * while this connection lives. Returns a function that stops listening.
 */
export async function listenForMetadataChanges(client: pg.Client, onLost: (error: Error) => void): Promise<() => Promise<void>> {
  const key = databaseKey(client);
  const cache = cacheFor(key);
  const stop = (error?: Error) => {
    if (!cache.listening) return;
    cache.listening = false;
    cache.entries.clear();
    if (error) onLost(error);
  };
  client.on('notification', (message) => {
    if (message.channel === METADATA_CHANNEL) invalidateMetadata(key);
  });
  client.on('error', stop);
  client.on('end', () => stop(new Error('metadata listener connection ended')));
  await client.query(`LISTEN ${METADATA_CHANNEL}`);
  cache.listening = true;
  return async () => {
    stop();
    await client.end();
  };
}
