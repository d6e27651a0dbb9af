// The one listening connection per process: LISTENs and notifications share it one statement at a
// time (pg deprecates a second one sent before the first is answered), and still all arrive.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Listener } from '../../src/db/listener.js';
import { createTestDatabase } from '../support/gateway.js';

describe('the listening connection', () => {
  let listener: Listener;
  let client: pg.Client;
  beforeAll(async () => {
    const url = await createTestDatabase({ empty: true });
    listener = new Listener({ connectionString: url }, () => {});
    client = await listener.start();
  });
  afterAll(() => listener.close());

  it('sends one statement at a time while channels are followed and notified at once', async () => {
    const send = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
    let inFlight = 0;
    let mostInFlight = 0;
    client.query = ((...args: unknown[]) => {
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      return send(...args).finally(() => {
        inFlight -= 1;
      });
    }) as typeof client.query;

    const heard = new Map<string, string[]>();
    const follow = (channel: string) =>
      listener.on(channel, {
        notification: (payload) => heard.set(channel, [...(heard.get(channel) ?? []), payload]),
        up: () => {},
        down: () => {},
      });
    await follow('first');
    const work: Promise<void>[] = [];
    for (let i = 0; i < 20; i += 1) {
      listener.notify('first', String(i));
      if (i % 5 === 0) work.push(follow(`later_${i}`));
    }
    await Promise.all(work);
    listener.notify('later_15', 'last');
    const deadline = Date.now() + 5000;
    while (!heard.has('later_15') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));

    expect(mostInFlight).toBe(1);
    expect(heard.get('later_15')).toEqual(['last']);
    // Notifications asked for while one waits its turn are sent as one, the latest.
    expect(heard.get('first')?.at(-1)).toBe('19');

    // Two channels notified at once are both told.
    listener.notify('later_5', 'five');
    listener.notify('later_10', 'ten');
    const both = Date.now() + 5000;
    while (!(heard.has('later_5') && heard.has('later_10')) && Date.now() < both) await new Promise((resolve) => setTimeout(resolve, 10));
    expect([heard.get('later_5'), heard.get('later_10')]).toEqual([['five'], ['ten']]);
  });
});
