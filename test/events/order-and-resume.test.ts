// Commit order, no gap, no duplicate: resume with `after` and Last-Event-ID, commits out of
// order on purpose, two gateway instances over one database, the slow-consumer cut, shutdown.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LiveContext } from '../../src/events/live-context.js';
import { pruneEvents } from '../../src/events/retention.js';
import type { Failure, LiveEvent } from '../../src/events/subscriber.js';
import { createLogger } from '../../src/logger.js';
import { createTestGateway, type TestGateway } from '../support/gateway.js';
import { subscribeSse, writer } from './support.js';

let t: TestGateway;
let w: ReturnType<typeof writer>;

beforeAll(async () => {
  t = await createTestGateway({ EXTENSIONS_MODE: 'schemaless' });
  w = writer(t);
});
afterAll(() => t?.close());

const events = (messages: any[]) => messages.map((m) => m.data.contextEvents);

/** A transaction on its own connection that records one CUSTOMER_CHANGED event when asked. */
async function openTransaction(customerId: string) {
  const client = new pg.Client({ connectionString: t.databaseUrl });
  await client.connect();
  await client.query('BEGIN');
  const { rows } = await client.query<{ xid: string }>('SELECT pg_current_xact_id()::text AS xid');
  return {
    xid: BigInt(rows[0].xid),
    async record(): Promise<string> {
      const { rows } = await client.query<{ id: string }>(
        `INSERT INTO context_event (type, customer_id) VALUES ('CUSTOMER_CHANGED', $1) RETURNING event_id::text AS id`,
        [customerId],
      );
      return rows[0].id;
    },
    async commit() {
      await client.query('COMMIT');
      await client.end();
    },
  };
}

describe('order and resume', () => {
  test('resume with after: what was missed, then live, no duplicate; Last-Event-ID does the same', async () => {
    const first = await subscribeSse(t, { customerId: 'R-1' });
    const service = await w.startService({ customerId: 'R-1' });
    const state = await w.startState(service);
    const [started, stateStarted] = events(await first.take(2));
    expect(stateStarted.type).toBe('STATE_STARTED');
    await first.close();
    // Missed while away:
    const task = await w.startTask(service, state);
    await w.completeTask(task);
    const resumed = await subscribeSse(t, { customerId: 'R-1', after: started.eventId });
    const viaHeader = await subscribeSse(t, { customerId: 'R-1' }, { headers: { 'last-event-id': stateStarted.eventId } });
    await w.completeState(state);
    expect(events(await resumed.take(4)).map((e) => e.type)).toEqual([
      'STATE_STARTED',
      'TASK_STARTED',
      'TASK_COMPLETED',
      'STATE_COMPLETED',
    ]);
    expect(events(await viaHeader.take(3)).map((e) => e.type)).toEqual(['TASK_STARTED', 'TASK_COMPLETED', 'STATE_COMPLETED']);
    expect(await resumed.quiet(200)).toBe(true);
    await Promise.all([resumed.close(), viaHeader.close()]);
  });

  test('retention: old events are pruned; a cursor before them is EVENTS_EXPIRED, a later one resumes', async () => {
    const live = await subscribeSse(t, { customerId: 'E-1' });
    const service = await w.startService({ customerId: 'E-1' });
    await w.startTask(service);
    await w.startTask(service);
    const [a, b, c] = events(await live.take(3));
    await live.close();
    // The first two are made older than a minute; the third is kept.
    await t.sql(
      `UPDATE context_event SET recorded_at = now() - interval '2 minutes' WHERE (xid, event_id) <= ($1::xid8, $2::bigint)`,
      b.eventId.split('.'),
    );
    expect(await pruneEvents(t.db.pool, 60_000)).toBeGreaterThanOrEqual(2);
    const expired = await subscribeSse(t, { customerId: 'E-1', after: a.eventId });
    expect((await expired.next()).data.errors[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'EVENTS_EXPIRED',
      field: 'after',
    });
    const resumed = await subscribeSse(t, { customerId: 'E-1', after: b.eventId });
    expect(events(await resumed.take(1)).map((e) => e.eventId)).toEqual([c.eventId]);
    await resumed.close();
  });

  test('a malformed cursor is BAD_USER_INPUT', async () => {
    const bad = await subscribeSse(t, { customerId: 'R-1', after: 'yesterday' });
    expect((await bad.next()).data.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  test('out-of-order commits: a later transaction holding a lower event id is delivered, and a resume between them misses nothing', async () => {
    const live = await subscribeSse(t, { customerId: 'O-1' });
    await w.updateCustomer('O-1', {}).catch(() => {});
    await t.ok('mutation { createCustomer(input: { customerId: "O-1" }) { customer { customerId } } }');
    const [mark] = events(await live.take(1));
    // early: the lower xid; late: the higher xid, which draws its event id first.
    const early = await openTransaction('O-1');
    const late = await openTransaction('O-1');
    expect(early.xid < late.xid).toBe(true);
    const lateId = await late.record();
    const earlyId = await early.record();
    expect(BigInt(earlyId) > BigInt(lateId)).toBe(true);
    await early.commit();
    const [fromEarly] = events(await live.take(1));
    expect(fromEarly.eventId).toBe(`${early.xid}.${earlyId}`);
    // Resuming here, by event id alone, would skip the late one (its id is lower).
    const afterEarly = await subscribeSse(t, { customerId: 'O-1', after: fromEarly.eventId });
    const afterMark = await subscribeSse(t, { customerId: 'O-1', after: mark.eventId });
    expect(await afterEarly.quiet(100)).toBe(true);
    await late.commit();
    const fromLate = `${late.xid}.${lateId}`;
    expect(events(await live.take(1)).map((e) => e.eventId)).toEqual([fromLate]);
    expect(events(await afterEarly.take(1)).map((e) => e.eventId)).toEqual([fromLate]);
    expect(events(await afterMark.take(2)).map((e) => e.eventId)).toEqual([fromEarly.eventId, fromLate]);
    await Promise.all([live.close(), afterEarly.close(), afterMark.close()]);
  });

  test('many events read at once, event ids interleaved across transactions, past one page: every one, in order', async () => {
    const live = await subscribeSse(t, { customerId: 'M-1' });
    const transactions = await Promise.all([1, 2, 3, 4, 5, 6].map(() => openTransaction('M-1')));
    for (let round = 0; round < 100; round++) for (const transaction of transactions) await transaction.record();
    await Promise.all(transactions.map((transaction) => transaction.commit()));
    const ids = events(await live.take(600, 20_000)).map((e) => e.eventId.split('.').map(BigInt));
    for (let i = 1; i < ids.length; i++) {
      const [[x, y], [u, v]] = [ids[i - 1], ids[i]];
      expect(u > x || (u === x && v > y)).toBe(true);
    }
    expect(await live.quiet(200)).toBe(true);
    await live.close();
  });

  test('a transaction still open holds later commits back until it ends, then both come in xid order', async () => {
    const live = await subscribeSse(t, { customerId: 'O-2' });
    const first = await openTransaction('O-2');
    const second = await openTransaction('O-2');
    await first.record();
    await second.record();
    await second.commit();
    expect(await live.quiet(300)).toBe(true);
    await first.commit();
    const delivered = events(await live.take(2)).map((e) => e.eventId.split('.')[0]);
    expect(delivered).toEqual([String(first.xid), String(second.xid)]);
    await live.close();
  });

  test('two gateway instances on one database each deliver what the other wrote', async () => {
    const other = await createTestGateway({ EXTENSIONS_MODE: 'schemaless' }, t.databaseUrl);
    try {
      const here = await subscribeSse(t, { customerId: 'T-1' });
      const there = await subscribeSse(other, { customerId: 'T-1' });
      const a = await w.startService({ customerId: 'T-1' });
      const b = await writer(other).startService({ customerId: 'T-1' });
      for (const sub of [here, there]) {
        expect(events(await sub.take(2)).map((e) => e.serviceId)).toEqual([a, b]);
        await sub.close();
      }
    } finally {
      await other.close();
    }
  });
});

describe('bounds and shutdown', () => {
  test('a subscriber that falls behind is cut with SLOW_SUBSCRIBER naming the last event it got', async () => {
    // The transports read as fast as they can in-process; a LiveContext of its own shows the cut.
    const live = new LiveContext(t.db, { queueLimit: 10, perClient: 10, logger: createLogger('silent') });
    const slow = await live.subscribe({ stream: 'c:S-1', types: null, after: null });
    const service = await w.startService({ customerId: 'S-1' });
    const first = await slow.next();
    for (let i = 0; i < 30; i++) await w.startTask(service);
    const rest = [];
    for (let next = await slow.next(); !next.done; next = await slow.next()) rest.push(next.value);
    expect(rest).toHaveLength(1);
    const { failure } = rest[0] as Failure;
    expect(failure.extensions).toMatchObject({ code: 'SLOW_SUBSCRIBER', lastEventId: (first.value as LiveEvent).eventId });
    expect(live.subscriberCount).toBe(0);
    live.close();
  });

  test('stopping the gateway completes its subscriptions', async () => {
    const stopping = await createTestGateway({}, t.databaseUrl);
    const sub = await subscribeSse(stopping, { customerId: 'D-1' });
    await stopping.gateway.dispose();
    const message = await sub.next();
    expect(message.event).toBe('complete');
    await stopping.close();
  });
});
