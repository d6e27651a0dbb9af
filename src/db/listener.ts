// The one connection per process that LISTENs, outside the pool (a pooled connection would be
// handed to other work, and a transaction-mode pooler cannot hold a LISTEN at all). Every channel
// the process follows shares it. When it is lost, each channel is told (notifications sent
// meanwhile are gone), and it reconnects with a growing delay; once it listens again each channel
// is told so, to re-read what it may have missed.
import pg from 'pg';

export interface ChannelHandler {
  notification(payload: string): void;
  /** Listening (again): anything missed while down must be re-read. */
  up(): void;
  /** Not listening: notifications are being missed until the next `up`. */
  down(error: Error): void;
}

const FIRST_RETRY_MS = 100;
const LAST_RETRY_MS = 5_000;

export class Listener {
  private client: pg.Client | undefined;
  private readonly channels = new Map<string, ChannelHandler[]>();
  private listening = false;
  private closed = false;
  private retryMs = FIRST_RETRY_MS;
  private retryTimer: NodeJS.Timeout | undefined;
  // pg deprecates a second statement on a connection before the first is answered, so LISTENs and
  // notifications wait their turn here.
  private tail: Promise<unknown> = Promise.resolve();
  /** Per channel, the payload of the notification waiting its turn. */
  private readonly queued = new Map<string, string>();

  constructor(
    private readonly connection: pg.ClientConfig,
    private readonly onError: (error: Error, retryMs: number) => void,
  ) {}

  /** Connects and listens; rejects when the first connection fails. */
  async start(): Promise<pg.Client> {
    return this.connect();
  }

  /** Follows `channel`; `up` is called at once when already listening. */
  async on(channel: string, handler: ChannelHandler): Promise<void> {
    const handlers = this.channels.get(channel);
    if (handlers) handlers.push(handler);
    else this.channels.set(channel, [handler]);
    if (!this.listening) return;
    if (!handlers) await this.inTurn((client) => client.query(`LISTEN ${channel}`));
    handler.up();
  }

  /**
   * Sends a notification on the listening connection (none of the pool's), best effort: a wake-up
   * lost while the connection is down is covered by the listeners' re-reads.
   */
  notify(channel: string, payload: string): void {
    if (!this.listening) return;
    // Notifications on a channel asked for while one waits its turn are sent as that one: they
    // all say "read".
    const waiting = this.queued.has(channel);
    this.queued.set(channel, payload);
    if (waiting) return;
    let taken = false;
    this.inTurn((client) => {
      taken = true;
      const latest = this.queued.get(channel)!;
      this.queued.delete(channel);
      return client.query('SELECT pg_notify($1, $2)', [channel, latest]);
    }).catch(() => {
      // Never sent (no longer listening): the next notification on the channel must not wait for it.
      if (!taken) this.queued.delete(channel);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listening = false;
    clearTimeout(this.retryTimer);
    await this.client?.end().catch(() => {});
  }

  /** Runs `work` on the listening connection once every statement before it is answered. */
  private inTurn<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
    const run = () => {
      if (!this.client) throw new Error('not listening');
      return work(this.client);
    };
    const result = this.tail.then(run, run);
    this.tail = result.catch(() => {});
    return result;
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client(this.connection);
    client.on('notification', (message) => {
      for (const handler of this.channels.get(message.channel) ?? []) handler.notification(message.payload ?? '');
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('listener connection ended')));
    try {
      await client.connect();
      for (const channel of this.channels.keys()) await client.query(`LISTEN ${channel}`);
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
    this.client = client;
    this.listening = true;
    this.retryMs = FIRST_RETRY_MS;
    for (const handlers of this.channels.values()) for (const handler of handlers) handler.up();
    return client;
  }

  private setDown(error: Error): void {
    if (!this.listening) return;
    this.listening = false;
    for (const handlers of this.channels.values()) for (const handler of handlers) handler.down(error);
  }

  private lost(client: pg.Client, error: Error): void {
    if (client !== this.client) return;
    this.client = undefined;
    client.end().catch(() => {});
    this.setDown(error);
    if (!this.closed) this.retry(error);
  }

  private retry(error: Error): void {
    this.onError(error, this.retryMs);
    this.retryTimer = setTimeout(() => {
      this.connect().catch((next: Error) => this.retry(next));
    }, this.retryMs);
    this.retryTimer.unref();
    this.retryMs = Math.min(this.retryMs * 2, LAST_RETRY_MS);
  }
}
