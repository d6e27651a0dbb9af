// The pool as one request sees it. Each statement is bounded in time, its wait for a connection
// included, so a frozen or unreachable server costs a request at most that bound; a connection
// that did not answer in time is closed rather than reused. When the request's client goes away,
// what its statements are running is cancelled in PostgreSQL and no further statement is sent.
// PostgreSQL cancels whatever a backend runs when the cancel arrives, so a connection a cancel was
// sent for is closed once its statement ends, never reused: the cancel could otherwise land on
// the next request's statement on that connection.
import net from 'node:net';
import pg from 'pg';
import { DatabaseTimeoutError, isDatabaseUnavailable, RequestAbortedError } from './unavailable.js';

type Statement = string | pg.QueryConfig;

/** Beyond a statement's timeout, how long the gateway still waits for PostgreSQL's own answer (its cancel). */
export const NO_ANSWER_GRACE_MS = 500;

interface Backend {
  processID: number | null;
  secretKey: number | null;
  host: string;
  port: number;
}

// The protocol's CancelRequest: length 16, then the code 1234.5678 (80877102).
const CANCEL_REQUEST_CODE = 80_877_102;
const CANCEL_SOCKET_TIMEOUT_MS = 2000;

/** Asks PostgreSQL to cancel whatever `client`'s backend is running, on a connection of its own. */
export function cancelBackend(client: pg.ClientBase): void {
  const { processID, secretKey, host, port } = client as unknown as Backend;
  if (processID === null || secretKey === null) return;
  const packet = Buffer.alloc(16);
  packet.writeInt32BE(16, 0);
  packet.writeInt32BE(CANCEL_REQUEST_CODE, 4);
  packet.writeInt32BE(processID, 8);
  packet.writeInt32BE(secretKey, 12);
  const socket = host.startsWith('/') ? net.connect(`${host}/.s.PGSQL.${port}`) : net.connect(port, host);
  socket.setTimeout(CANCEL_SOCKET_TIMEOUT_MS, () => socket.destroy());
  // Best effort: a server that cannot be reached has nothing to cancel either.
  socket.on('error', () => {});
  socket.end(packet);
}

/** Whether a connection that failed with `error` may serve again: only after a statement PostgreSQL refused. */
const reusableAfter = (error: Error) => error instanceof pg.DatabaseError && !isDatabaseUnavailable(error);

const timeoutError = (ms: number) => new DatabaseTimeoutError(`the database did not answer within ${ms} ms`);

/** Settles like `work`, or rejects with a DatabaseTimeoutError once `deadlineMs` has passed (calling `onExpiry`). */
function withinDeadline<T>(work: Promise<T>, deadlineMs: number, onExpiry: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      onExpiry();
      reject(timeoutError(deadlineMs));
    }, deadlineMs);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** The connections a request is using, and those a cancel was sent for (closed after use). */
interface InFlight {
  busy: Set<pg.PoolClient>;
  cancelled: WeakSet<pg.PoolClient>;
}

/** What `client` goes back to the pool with: an error (closing it) once a cancel was sent for it. */
const releaseReason = (inFlight: InFlight | undefined, client: pg.PoolClient, error?: Error | boolean) =>
  inFlight?.cancelled.has(client) ? new RequestAbortedError() : error;

/**
 * Runs one statement on a pooled connection within `deadlineMs`, connection wait included.
 * `inFlight` holds the connection while the statement runs (for cancelling it).
 */
export function boundedQuery<R extends pg.QueryResultRow>(
  pool: pg.Pool,
  statement: Statement,
  values: unknown[] | undefined,
  deadlineMs: number,
  inFlight?: InFlight,
): Promise<pg.QueryResult<R>> {
  let client: pg.PoolClient | undefined;
  let expired = false;
  const run = async () => {
    const connected = await pool.connect();
    if (expired) {
      connected.release();
      throw timeoutError(deadlineMs);
    }
    client = connected;
    inFlight?.busy.add(connected);
    try {
      // The overload taking text; a QueryConfig (prepared statement) goes the same way.
      const result = await connected.query<R>(statement as string, values);
      if (!expired) connected.release(releaseReason(inFlight, connected));
      return result;
    } catch (error) {
      if (!expired) connected.release(releaseReason(inFlight, connected, reusableAfter(error as Error) ? undefined : (error as Error)));
      throw error;
    } finally {
      inFlight?.busy.delete(connected);
    }
  };
  return withinDeadline(run(), deadlineMs, () => {
    expired = true;
    if (client) {
      inFlight?.busy.delete(client);
      // Its statement may still be on its way: the connection is closed, never reused.
      client.release(timeoutError(deadlineMs));
    }
  });
}

/** A pooled connection within `deadlineMs`; one that arrives later goes back to the pool. */
function boundedConnect(pool: pg.Pool, deadlineMs: number): Promise<pg.PoolClient> {
  let expired = false;
  const connecting = pool.connect();
  void connecting.then(
    (client) => expired && client.release(),
    () => {},
  );
  return withinDeadline(connecting, deadlineMs, () => {
    expired = true;
  });
}

const BASE = Symbol('base pool');

/** The pool a request's view (requestPool) stands for, or `pool` itself. */
export function basePool(pool: pg.Pool): pg.Pool {
  return (pool as pg.Pool & { [BASE]?: pg.Pool })[BASE] ?? pool;
}

/**
 * `pool` as the request with `signal` uses it: `query` bounded as boundedQuery, `connect` (for a
 * transaction) bounded in its wait; statements on a connected client are bounded by the pool's
 * own query_timeout. Everything else is the pool's.
 */
export function requestPool(pool: pg.Pool, signal: AbortSignal, deadlineMs: number): pg.Pool {
  const inFlight: InFlight = { busy: new Set(), cancelled: new WeakSet() };
  let watching = false;
  /** Whether a statement may still be sent; the first one starts watching for the client leaving. */
  const stillWanted = () => {
    if (signal.aborted) return false;
    if (!watching) {
      watching = true;
      signal.addEventListener('abort', () => {
        for (const client of inFlight.busy) {
          inFlight.cancelled.add(client);
          cancelBackend(client);
        }
      });
    }
    return true;
  };
  const view = Object.create(pool, { [BASE]: { value: pool } }) as pg.Pool;
  view.query = ((statement: Statement, values?: unknown[]) =>
    stillWanted()
      ? boundedQuery(pool, statement, values, deadlineMs, inFlight)
      : Promise.reject(new RequestAbortedError())) as pg.Pool['query'];
  view.connect = (async () => {
    if (!stillWanted()) throw new RequestAbortedError();
    const client = await boundedConnect(pool, deadlineMs);
    inFlight.busy.add(client);
    const release = client.release;
    client.release = (error?: Error | boolean) => {
      inFlight.busy.delete(client);
      client.release = release;
      return release(releaseReason(inFlight, client, error));
    };
    return client;
  }) as pg.Pool['connect'];
  return view;
}
