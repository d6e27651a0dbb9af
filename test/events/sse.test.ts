// Live context over SSE: each event type on each kind of stream, association moving a service
// between streams, type filters, the current values selected at delivery.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestGateway, type TestGateway } from '../support/gateway.js';
import { contextEvents, subscribeSse, writer } from './support.js';

let t: TestGateway;
let w: ReturnType<typeof writer>;

beforeAll(async () => {
  t = await createTestGateway({ EXTENSIONS_MODE: 'schemaless' });
  w = writer(t);
});
afterAll(() => t?.close());

const brief = (events: any[]) => events.map((e) => e.data?.contextEvents ?? e.contextEvents);

describe('SSE', () => {
  test('a customer stream gets every event type, with id lines, headers and current values', async () => {
    const sub = await subscribeSse(
      t,
      { customerId: 'C-1' },
      {
        query: contextEvents(
          'eventId type serviceId stateId taskId extensionOwner extensionName service { status } customer { customerId attributes }',
        ),
      },
    );
    expect(sub.status).toBe(200);
    expect(sub.headers.get('content-type')).toContain('text/event-stream');
    expect(sub.headers.get('cache-control')).toBe('no-cache');
    expect(sub.headers.get('x-accel-buffering')).toBe('no');
    await t.ok('mutation { createCustomer(input: { customerId: "C-1" }) { customer { customerId } } }');
    const service = await w.startService({ customerId: 'C-1' });
    const state = await w.startState(service);
    const task = await w.startTask(service, state);
    await w.completeTask(task);
    await w.completeState(state);
    await w.updateExtension('SERVICE', service, 'notes', { text: 'hi' });
    await w.updateCustomer('C-1', { FirstName: 'Ada' });
    await w.completeService(service);
    const messages = [];
    for (let i = 0; i < 9; i++) messages.push(await sub.next());
    for (const message of messages) expect(message.id).toBe(message.data.data.contextEvents.eventId);
    const events = messages.map((m) => m.data.data.contextEvents);
    expect(events.map((e) => [e.type, e.serviceId, e.stateId, e.taskId])).toEqual([
      ['CUSTOMER_CHANGED', null, null, null],
      ['SERVICE_STARTED', service, null, null],
      ['STATE_STARTED', service, state, null],
      ['TASK_STARTED', service, state, task],
      ['TASK_COMPLETED', service, state, task],
      ['STATE_COMPLETED', service, state, null],
      ['EXTENSION_CHANGED', service, null, null],
      ['CUSTOMER_CHANGED', null, null, null],
      ['SERVICE_COMPLETED', service, null, null],
    ]);
    expect(events[6]).toMatchObject({ extensionOwner: 'SERVICE', extensionName: 'notes' });
    // Values at delivery: the service was completed by the time the events were delivered... or not:
    // only the last one is certain to see it completed, and every one sees the customer.
    expect(events[8].service.status).toBe('COMPLETED');
    expect(events[7].customer).toEqual({ customerId: 'C-1', attributes: { FirstName: 'Ada' } });
    await sub.close();
  });

  test('a contact key follows an anonymous service until it is associated; both customers see the association', async () => {
    const byKey = await subscribeSse(t, { contactKey: '+33 6' });
    const oldCustomer = await subscribeSse(t, { customerId: 'C-old' });
    const newCustomer = await subscribeSse(t, { customerId: 'C-new' });
    const service = await w.startService({ contactKey: '+33 6' });
    const state = await w.startState(service);
    await w.associate(service, 'C-old');
    await w.associate(service, 'C-new');
    await w.completeState(state);
    expect(brief(await byKey.take(3)).map((e) => e.type)).toEqual(['SERVICE_STARTED', 'STATE_STARTED', 'SERVICE_ASSOCIATED']);
    expect(await byKey.quiet(300)).toBe(true);
    const old = brief(await oldCustomer.take(2));
    expect(old.map((e) => [e.type, e.customerId, e.previousCustomerId])).toEqual([
      ['SERVICE_ASSOCIATED', 'C-old', null],
      ['SERVICE_ASSOCIATED', 'C-new', 'C-old'],
    ]);
    expect(await oldCustomer.quiet(100)).toBe(true);
    const fresh = brief(await newCustomer.take(2));
    expect(fresh.map((e) => [e.type, e.customerId])).toEqual([
      ['SERVICE_ASSOCIATED', 'C-new'],
      ['STATE_COMPLETED', 'C-new'],
    ]);
    await Promise.all([byKey.close(), oldCustomer.close(), newCustomer.close()]);
  });

  test('a service stream, filtered by type', async () => {
    const service = await w.startService({ customerId: 'C-2' });
    // A subscription may begin with events committed just before it: start after those.
    const first = await subscribeSse(t, { serviceId: service });
    await w.updateExtension('SERVICE', service, 'mark', {});
    while ((await first.take(1))[0].data.contextEvents.type !== 'EXTENSION_CHANGED');
    const all = await subscribeSse(t, { serviceId: service });
    const tasks = await subscribeSse(t, { serviceId: service, types: ['TASK_STARTED', 'TASK_COMPLETED'] });
    await first.close();
    const other = await w.startService({ customerId: 'C-2' });
    const task = await w.startTask(service);
    await w.startTask(other);
    await w.completeTask(task);
    await w.completeService(service);
    expect(brief(await all.take(3)).map((e) => e.type)).toEqual(['TASK_STARTED', 'TASK_COMPLETED', 'SERVICE_COMPLETED']);
    expect(brief(await tasks.take(2)).map((e) => [e.type, e.taskId])).toEqual([
      ['TASK_STARTED', task],
      ['TASK_COMPLETED', task],
    ]);
    expect(await tasks.quiet(200)).toBe(true);
    await Promise.all([all.close(), tasks.close()]);
  });

  test('exactly one of customerId, contactKey and serviceId', async () => {
    const none = await subscribeSse(t, {});
    const message = await none.next();
    expect(message.data.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    const two = await subscribeSse(t, { customerId: 'a', serviceId: '1' });
    expect((await two.next()).data.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'serviceId' });
  });
});

test('EventSource style: a GET with the query in the URL', async () => {
  const url = new URL('http://gateway.test/graphql');
  url.searchParams.set('query', 'subscription { contextEvents(customerId: "G-1") { type } }');
  const response = await t.gateway.fetch(url, { headers: { accept: 'text/event-stream' } });
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  await w.startService({ customerId: 'G-1' });
  let text = '';
  while (!text.includes('SERVICE_STARTED')) text += new TextDecoder().decode((await reader.read()).value);
  expect(text).toMatch(/id: \d+\.\d+\nevent: next\ndata: {"data":{"contextEvents":{"type":"SERVICE_STARTED"}}}/);
  await reader.cancel();
});

test('the cost limit refuses a subscription before it starts', async () => {
  const strict = await createTestGateway({ MAX_COST: '20' }, t.databaseUrl);
  try {
    const sub = await subscribeSse(
      strict,
      { customerId: 'X-1' },
      { query: contextEvents('service { states(first: 50) { nodes { stateId } } }') },
    );
    expect((await sub.next()).data.errors[0].extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'cost' });
  } finally {
    await strict.close();
  }
});
