// Process-wide caches of small, rarely changed metadata (business attribute mappings, extension
// schemas), so a write does not spend a round trip re-reading them. Every change NOTIFYs the
// channel below in its transaction; each gateway LISTENs and drops its copy when the
// notification arrives (after the commit). While the process is not listening (db/listener.ts)
// nothing is cached for the database.
import type { Listener } from './listener.js';
import type { Tx } from './transaction.js';

export const METADATA_CHANNEL = 'context_metadata';

interface DatabaseCache {
  listening: boolean;
  entries: Map<string, Promise<unknown>>;
}

const databases = new Map<string, DatabaseCache>();

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
 * Follows metadata changes on the process's listening connection; caching for the database is
 * on only while it listens. `onLost` is told when it stops listening.
 */
export function listenForMetadataChanges(listener: Listener, key: string, onLost: (error: Error) => void): Promise<void> {
  const cache = cacheFor(key);
  return listener.on(METADATA_CHANNEL, {
    notification: () => invalidateMetadata(key),
    up() {
      cache.entries.clear();
      cache.listening = true;
    },
    down(error) {
      cache.listening = false;
      cache.entries.clear();
      onLost(error);
    },
  });
}

/**
 * A write found metadata it validated against changed (an extension schema gone): it wrote
 * nothing, and validates again against fresh metadata (see graphql/write.ts).
 */
export class StaleSchemas extends Error {
  constructor() {
    super('an extension schema changed while the write was validated');
  }
}
