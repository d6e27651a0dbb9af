// One subscription's side of live context: the events routed to it, queued until its transport
// takes them. The queue is bounded: a subscriber that falls too far behind is ended with an error
// naming the last event it received, from which it resumes with `after`.
import type { ContextEventType } from '../generated/prisma/enums.js';
import { DomainError } from '../graphql/errors.js';
import { perRequest } from '../per-request.js';
import { comparePositions, type Position } from './position.js';

/** An event as read from the outbox and delivered to every subscriber it is routed to. */
export interface LiveEvent {
  eventId: string;
  position: Position;
  type: ContextEventType;
  /** When the write recorded it, just before its commit (ISO, UTC, milliseconds). */
  occurredAt: string;
  customerId: string | null;
  contactKey: string | null;
  serviceId: string | null;
  stateId: string | null;
  taskId: string | null;
  extensionOwner: string | null;
  extensionName: string | null;
  previousCustomerId: string | null;
}

/**
 * The eventIds of what a request's subscription handed to its transport, in order, not yet
 * written (null for its final error): the SSE stream writes each as the `id:` of its message,
 * the `Last-Event-ID` a reconnecting browser sends back.
 */
export const handedOver = perRequest('handedOver', (): (string | null)[] => []);

/** The last value of an ended subscription: the error it ends with. */
export interface Failure {
  failure: DomainError;
}

/** Which stream a subscription follows: `c:` customer, `k:` contact key, `s:` service, then the id. */
export type StreamKey = string;

/**
 * The streams an event belongs to: its customer's (and, for an association, the one the service
 * left), its service's, and its contact key's while the service is anonymous (an association of
 * an anonymous service is the last event that stream sees of it).
 */
export function streamsOf(event: LiveEvent): StreamKey[] {
  const keys: StreamKey[] = [];
  if (event.customerId !== null) keys.push(`c:${event.customerId}`);
  if (event.previousCustomerId !== null && event.previousCustomerId !== event.customerId) keys.push(`c:${event.previousCustomerId}`);
  const anonymous = event.customerId === null || (event.type === 'SERVICE_ASSOCIATED' && event.previousCustomerId === null);
  if (event.contactKey !== null && anonymous) keys.push(`k:${event.contactKey}`);
  if (event.serviceId !== null) keys.push(`s:${event.serviceId}`);
  return keys;
}

export interface SubscriberOptions {
  stream: StreamKey;
  types: ReadonlySet<ContextEventType> | null;
  /** Events at or before this position are not delivered (the client has them). */
  after: Position | null;
  /** Most events queued before the subscription is ended as too slow. */
  queueLimit: number;
  /** When the credential expires (ms since the epoch): the subscription ends then. */
  expiresAt?: number;
  /** Told of each event as the transport takes it, and of the final error (null). */
  onDeliver(event: LiveEvent | null): void;
  /** Told once when the subscription ends, whatever the cause. */
  onEnd(subscriber: Subscriber, reason: 'closed' | 'overflow' | 'expired' | 'error'): void;
}

// setTimeout takes at most a signed 32-bit delay.
const MAX_TIMER_MS = 2 ** 31 - 1;

export class Subscriber implements AsyncIterableIterator<LiveEvent | Failure> {
  private readonly queue: LiveEvent[] = [];
  /** Live events that arrive while the outbox is replayed, delivered after the replay. */
  private held: LiveEvent[] | null = null;
  private waiting: ((result: IteratorResult<LiveEvent | Failure>) => void) | null = null;
  private ending: Failure | null | undefined;
  private lastDelivered: string | null = null;
  private readonly expiry: NodeJS.Timeout | undefined;

  constructor(readonly options: SubscriberOptions) {
    if (options.expiresAt !== undefined) {
      const delay = Math.max(0, Math.min(options.expiresAt - Date.now(), MAX_TIMER_MS));
      this.expiry = setTimeout(
        () =>
          this.fail(
            new DomainError('UNAUTHENTICATED', 'the credential of this subscription expired; subscribe again with a fresh one'),
            'expired',
          ),
        delay,
      );
      this.expiry.unref();
    }
  }

  get stream(): StreamKey {
    return this.options.stream;
  }

  /** Holds live events back until `replayed` is called (the outbox up to now comes first). */
  replaying(): void {
    this.held = [];
  }

  /** Queues events read from the outbox for this stream, in order, before the live ones held back. */
  replay(events: LiveEvent[]): void {
    for (const event of events) this.enqueue(event, this.queue);
  }

  replayed(): void {
    const held = this.held ?? [];
    this.held = null;
    for (const event of held) this.enqueue(event, this.queue);
    this.flush();
  }

  /** A live event routed to this stream. */
  push(event: LiveEvent): void {
    this.enqueue(event, this.held ?? this.queue);
    if (!this.held) this.flush();
  }

  /** Ends the subscription as complete (the gateway is stopping, or the client left). */
  close(): void {
    this.end(null, 'closed');
  }

  /** Ends the subscription with `error`, delivered after what is already queued. */
  fail(error: DomainError, reason: 'overflow' | 'expired' | 'error' = 'error'): void {
    this.end({ failure: error }, reason);
  }

  next(): Promise<IteratorResult<LiveEvent | Failure>> {
    const event = this.queue.shift();
    if (event) {
      this.lastDelivered = event.eventId;
      this.options.onDeliver(event);
      return Promise.resolve({ done: false, value: event });
    }
    if (this.ending !== undefined) {
      const last = this.ending;
      this.ending = null;
      if (!last) return Promise.resolve({ done: true, value: undefined });
      this.options.onDeliver(null);
      return Promise.resolve({ done: false, value: last });
    }
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  return(): Promise<IteratorResult<LiveEvent | Failure>> {
    this.end(null, 'closed');
    this.queue.length = 0;
    this.ending = null;
    return Promise.resolve({ done: true, value: undefined });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private enqueue(event: LiveEvent, into: LiveEvent[]): void {
    if (this.ending !== undefined) return;
    const { types, after, queueLimit } = this.options;
    if (types && !types.has(event.type)) return;
    if (after && comparePositions(event.position, after) <= 0) return;
    into.push(event);
    if (this.queue.length + (this.held?.length ?? 0) > queueLimit) {
      this.queue.length = 0;
      this.held = null;
      const resume = this.lastDelivered
        ? `subscribe again with after: "${this.lastDelivered}"`
        : 'subscribe again with after set to the last eventId you received';
      this.fail(
        new DomainError('SLOW_SUBSCRIBER', `this subscription fell more than ${queueLimit} events behind and was ended; ${resume}`, {
          lastEventId: this.lastDelivered,
        }),
        'overflow',
      );
    }
  }

  private flush(): void {
    if (!this.waiting) return;
    if (this.queue.length === 0 && this.ending === undefined) return;
    const resolve = this.waiting;
    this.waiting = null;
    void this.next().then(resolve);
  }

  private end(ending: Failure | null, reason: 'closed' | 'overflow' | 'expired' | 'error'): void {
    if (this.ending !== undefined) return;
    this.ending = ending;
    clearTimeout(this.expiry);
    this.options.onEnd(this, reason);
    this.flush();
  }
}
