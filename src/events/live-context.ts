// Live context in one gateway process: ONE reader of the outbox (context_event) that routes each
// new event in memory to the subscribers of its streams, whatever the number of subscribers.
//
// When to read: a write committed through this process wakes it directly, and this process
// sends at most one NOTIFY per NOTIFY_WINDOW_MS afterwards (never inside the write's transaction:
// a pending NOTIFY makes every commit take one global lock) so that the other gateways read too.
// The NOTIFY is only a wake-up; the outbox is the message. Rows committed but still behind the
// horizon are read again shortly; while anyone subscribes, a slow re-read covers a gateway that
// died between its commit and its NOTIFY. With no subscriber, nothing is read at all.
//
// What to read: rows whose transaction id is below the xmin of a fresh snapshot, in (xid,
// event_id) order, after the last position read. Every transaction below xmin has ended, so no row
// can appear there later; a row that is not visible yet belongs to a transaction still running,
// whose xid is at least xmin, so it sorts after everything read. (Ordering by event_id alone
// would not do: an id drawn early by a transaction that commits late would land behind ones
// already read.) A transaction left open anywhere on the server holds xmin, and delivery, back.
import { randomUUID } from 'node:crypto';
import type { Database } from '../db/database.js';
import { followCommits } from '../db/transaction.js';
import type { ContextEventType } from '../generated/prisma/enums.js';
import { badInput, DomainError } from '../graphql/errors.js';
import type { Logger } from '../logger.js';
import { comparePositions, encodeEventId, type Position } from './position.js';
import { pruneEvents } from './retention.js';
import { type LiveEvent, type StreamKey, Subscriber, type SubscriberOptions, streamsOf } from './subscriber.js';

export const EVENTS_CHANNEL = 'context_events';

const NOTIFY_WINDOW_MS = 10;
/** Rows per read; more are read at once after. */
const PAGE = 500;
const HELD_FIRST_MS = 5;
const HELD_LAST_MS = 200;
const SAFETY_MS = 2_000;
const PRUNE_EVERY_MS = 60_000;

export interface LiveMetrics {
  subscribers(delta: number): void;
  delivered(lagMs: number): void;
  dropped(reason: string): void;
}

export interface LiveContextOptions {
  /** How long events are kept for resuming (ms); pruned in the background. */
  retentionMs?: number;
  queueLimit: number;
  /** Subscriptions one credential may hold at once in this process. */
  perClient: number;
  logger: Logger;
  metrics?: LiveMetrics;
}

export interface SubscribeRequest {
  stream: StreamKey;
  types: ReadonlySet<ContextEventType> | null;
  after: Position | null;
  expiresAt?: number;
  /** The credential, counted against MAX_SUBSCRIPTIONS_PER_CLIENT (none without credentials). */
  client?: string;
  /** Told of each event as it is handed to the transport, and of the final error (null). */
  onDeliver?: (event: LiveEvent | null) => void;
}

/** A row of context_event as the reader selects it. */
export interface EventRow {
  xid: string;
  event_id: string;
  type: ContextEventType;
  occurred_at: string;
  customer_id: string | null;
  contact_key: string | null;
  service_id: string | null;
  state_id: string | null;
  task_id: string | null;
  extension_owner: string | null;
  extension_name: string | null;
  previous_customer_id: string | null;
}

const EVENT_COLUMNS = `xid::text, event_id::text, type::text,
  to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS occurred_at,
  customer_id, contact_key, service_id::text, state_id::text, task_id::text, extension_owner::text, extension_name,
  previous_customer_id`;

// The rows after $1/$2 that no running transaction can still add to, and whether committed rows
// wait behind that horizon.
const READ_NEW = `WITH horizon AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin)
  SELECT e.*, (SELECT EXISTS (SELECT 1 FROM context_event WHERE xid >= h.xmin)) AS held
  FROM horizon h LEFT JOIN LATERAL (
    SELECT ${EVENT_COLUMNS} FROM context_event
     WHERE (xid, event_id) > ($1::xid8, $2::bigint) AND xid < h.xmin
     ORDER BY xid, event_id LIMIT ${PAGE}
  ) e ON true`;

// Candidate rows of one stream between a resume point and what the reader has read; the
// JavaScript routing (streamsOf) then decides, so both paths agree. `pruned` says whether rows
// after the resume point were pruned (EVENTS_EXPIRED).
const STREAM_CONDITIONS: Record<string, string> = {
  c: '(customer_id = $1 OR previous_customer_id = $1)',
  k: 'contact_key = $1',
  s: 'service_id = $1::bigint',
};
const replaySql = (kind: string) => `SELECT ${EVENT_COLUMNS},
    EXISTS (SELECT 1 FROM context_event_pruned p WHERE (p.xid, p.event_id) > ($2::xid8, $3::bigint)) AS pruned
  FROM (SELECT 1) one LEFT JOIN LATERAL (
    SELECT * FROM context_event
     WHERE ${STREAM_CONDITIONS[kind]} AND (xid, event_id) > ($2::xid8, $3::bigint) AND (xid, event_id) <= ($4::xid8, $5::bigint)
     ORDER BY xid, event_id LIMIT ${PAGE}
  ) e ON true`;

/**
 * The events of `rows` in outbox order. The rows come through a LEFT JOIN LATERAL, whose result
 * keeps no order of its own, whatever the inner ORDER BY: the order is restored here.
 */
function eventsOf(rows: EventRow[]): LiveEvent[] {
  return rows
    .filter((row) => row.xid !== null)
    .map(toEvent)
    .sort((a, b) => comparePositions(a.position, b.position));
}

function toEvent(row: EventRow): LiveEvent {
  const position = { xid: BigInt(row.xid), id: BigInt(row.event_id) };
  return {
    eventId: encodeEventId(position),
    position,
    type: row.type,
    occurredAt: row.occurred_at,
    customerId: row.customer_id,
    contactKey: row.contact_key,
    serviceId: row.service_id,
    stateId: row.state_id,
    taskId: row.task_id,
    extensionOwner: row.extension_owner,
    extensionName: row.extension_name,
    previousCustomerId: row.previous_customer_id,
  };
}

declare module '../graphql/context.js' {
  interface Context {
    /** Live context of this gateway (subscriptions). */
    live: LiveContext;
  }
}

export class LiveContext {
  /** Who wrote a NOTIFY: this process ignores its own (it woke its reader directly). */
  private readonly instance = randomUUID();
  private readonly streams = new Map<StreamKey, Set<Subscriber>>();
  /** Subscriptions held, by credential. */
  private readonly perClient = new Map<string, number>();
  private count = 0;
  /** The last position read; undefined while nobody subscribes. */
  private position: Promise<Position> | undefined;
  private reading = false;
  private again = false;
  private heldDelay = HELD_FIRST_MS;
  private heldTimer: NodeJS.Timeout | undefined;
  private safetyTimer: NodeJS.Timeout | undefined;
  private lastNotify = 0;
  private notifyTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly pruneTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Database,
    private readonly options: LiveContextOptions,
  ) {
    followCommits(db.pool, () => this.committed());
    void db.listener
      .on(EVENTS_CHANNEL, {
        notification: (payload) => {
          if (payload !== this.instance) this.wake();
        },
        // Notifications sent while the connection was down are lost: read what came meanwhile.
        up: () => this.wake(),
        down: () => {},
      })
      .catch((error: Error) => options.logger.warn({ reason: error.message }, 'cannot listen for live context events'));
    const { retentionMs } = options;
    if (retentionMs !== undefined) {
      this.pruneTimer = setInterval(() => {
        pruneEvents(db.pool, retentionMs).catch((error: Error) =>
          options.logger.warn({ reason: error.message }, 'pruning live context events failed; trying again later'),
        );
      }, PRUNE_EVERY_MS);
      this.pruneTimer.unref();
    }
  }

  get subscriberCount(): number {
    return this.count;
  }

  /**
   * Starts a subscription: events of `stream` after `after` (replayed from the outbox first), then
   * live ones, with no gap and no duplicate.
   */
  async subscribe(request: SubscribeRequest): Promise<Subscriber> {
    if (this.closed) throw new DomainError('SERVICE_UNAVAILABLE', 'the gateway is stopping; subscribe again (elsewhere) with after');
    const { client } = request;
    const held = client === undefined ? 0 : (this.perClient.get(client) ?? 0);
    if (held >= this.options.perClient) {
      throw new DomainError(
        'QUERY_LIMIT_EXCEEDED',
        `${client} already holds ${held} subscriptions, the most allowed (MAX_SUBSCRIPTIONS_PER_CLIENT)`,
        {
          limit: 'subscriptions',
        },
      );
    }
    const options: SubscriberOptions = {
      stream: request.stream,
      types: request.types,
      after: request.after,
      queueLimit: this.options.queueLimit,
      expiresAt: request.expiresAt,
      onDeliver: (event) => {
        if (event) this.options.metrics?.delivered(Date.now() - Date.parse(event.occurredAt));
        request.onDeliver?.(event);
      },
      onEnd: (subscriber, reason) => {
        if (this.remove(subscriber, reason) && client !== undefined) {
          const left = this.perClient.get(client)! - 1;
          if (left === 0) this.perClient.delete(client);
          else this.perClient.set(client, left);
        }
      },
    };
    const subscriber = new Subscriber(options);
    // The reader's position and the registration happen together: every live event after it
    // reaches the subscriber, and the replay covers what lies between `after` and it.
    const readTo = await this.start();
    this.add(subscriber);
    if (client !== undefined) this.perClient.set(client, (this.perClient.get(client) ?? 0) + 1);
    if (request.after && comparePositions(request.after, readTo) < 0) {
      subscriber.replaying();
      try {
        await this.replay(subscriber, request.after, readTo);
      } catch (error) {
        subscriber.close();
        throw error;
      }
      subscriber.replayed();
    }
    return subscriber;
  }

  /** Ends every subscription (as complete: clients resume elsewhere with `after`). */
  close(): void {
    this.closed = true;
    for (const subscribers of [...this.streams.values()]) for (const subscriber of [...subscribers]) subscriber.close();
    clearTimeout(this.notifyTimer);
    clearTimeout(this.heldTimer);
    clearInterval(this.safetyTimer);
    clearInterval(this.pruneTimer);
  }

  private async replay(subscriber: Subscriber, after: Position, to: Position): Promise<void> {
    const [kind, ...rest] = subscriber.stream.split(':');
    const id = rest.join(':');
    let from = after;
    for (;;) {
      const { rows } = await this.db.pool.query<EventRow & { pruned: boolean }>(replaySql(kind), [
        id,
        String(from.xid),
        String(from.id),
        String(to.xid),
        String(to.id),
      ]);
      if (rows[0].pruned) {
        throw badInput(
          'after',
          'events after this eventId are no longer kept (EVENT_RETENTION); reload the context, then subscribe without after',
          {
            reason: 'EVENTS_EXPIRED',
          },
        );
      }
      const events = eventsOf(rows);
      subscriber.replay(events.filter((event) => streamsOf(event).includes(subscriber.stream)));
      if (events.length < PAGE) return;
      from = events.at(-1)!.position;
    }
  }

  /** The position read so far, starting the reader at the horizon when nobody subscribed. */
  private start(): Promise<Position> {
    this.position ??= this.db.pool
      .query<{ xmin: string }>('SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin')
      // Everything below xmin had ended before this subscriber came: the reader starts after it.
      .then(({ rows }) => ({ xid: BigInt(rows[0].xmin), id: 0n }));
    const started = this.position;
    started.catch(() => {
      if (this.position === started) this.position = undefined;
    });
    return started;
  }

  private add(subscriber: Subscriber): void {
    let subscribers = this.streams.get(subscriber.stream);
    if (!subscribers) this.streams.set(subscriber.stream, (subscribers = new Set()));
    subscribers.add(subscriber);
    this.count++;
    this.options.metrics?.subscribers(1);
    if (this.count === 1) {
      this.safetyTimer = setInterval(() => this.wake(), SAFETY_MS);
      this.safetyTimer.unref();
    }
  }

  /** Forgets a subscriber that ended; false when it was not registered. */
  private remove(subscriber: Subscriber, reason: string): boolean {
    const subscribers = this.streams.get(subscriber.stream);
    if (!subscribers?.delete(subscriber)) return false;
    if (subscribers.size === 0) this.streams.delete(subscriber.stream);
    this.count--;
    this.options.metrics?.subscribers(-1);
    if (reason !== 'closed') this.options.metrics?.dropped(reason);
    if (this.count === 0) {
      clearInterval(this.safetyTimer);
      clearTimeout(this.heldTimer);
      this.heldTimer = undefined;
      // Nobody follows: nothing is read until someone does, from the horizon of that moment.
      if (!this.reading) this.position = undefined;
    }
    return true;
  }

  /** A write committed through this process: read now, and tell the other gateways. */
  private committed(): void {
    this.wake();
    if (this.notifyTimer) return;
    const wait = this.lastNotify + NOTIFY_WINDOW_MS - Date.now();
    const send = () => {
      this.notifyTimer = undefined;
      this.lastNotify = Date.now();
      this.db.listener.notify(EVENTS_CHANNEL, this.instance);
    };
    if (wait <= 0) send();
    else {
      this.notifyTimer = setTimeout(send, wait);
      this.notifyTimer.unref();
    }
  }

  private wake(): void {
    if (this.count === 0 || this.closed) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    void this.read();
  }

  private async read(): Promise<void> {
    this.reading = true;
    try {
      do {
        this.again = false;
        if (this.count === 0 || !this.position) break;
        const from = await this.position;
        const { rows } = await this.db.pool.query<EventRow & { held: boolean }>(READ_NEW, [String(from.xid), String(from.id)]);
        const events = eventsOf(rows);
        for (const event of events) this.route(event);
        if (events.length) this.position = Promise.resolve(events.at(-1)!.position);
        if (events.length === PAGE) this.again = true;
        if (rows[0].held) this.recheckHeld(events.length > 0);
      } while (this.again);
    } catch (error) {
      this.options.logger.warn({ reason: (error as Error).message }, 'reading live context events failed; retrying');
      this.recheckHeld(false);
    } finally {
      this.reading = false;
      if (this.count === 0) this.position = undefined;
    }
  }

  /** Committed rows wait behind the horizon (or a read failed): look again soon, less often while nothing moves. */
  private recheckHeld(progressed: boolean): void {
    if (progressed) this.heldDelay = HELD_FIRST_MS;
    if (this.heldTimer) return;
    this.heldTimer = setTimeout(() => {
      this.heldTimer = undefined;
      this.wake();
    }, this.heldDelay);
    this.heldTimer.unref();
    this.heldDelay = Math.min(this.heldDelay * 2, HELD_LAST_MS);
  }

  private route(event: LiveEvent): void {
    // A subscriber follows one stream, and an event's streams differ: each subscriber gets it once.
    for (const key of streamsOf(event)) for (const subscriber of this.streams.get(key) ?? []) subscriber.push(event);
  }
}
