// Live context over WebSocket (graphql-transport-ws) on the same /graphql path and HTTP server:
// the same events, resume, credentials, scopes, persisted operations and limits as over SSE.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { operationId } from '../../src/server/persisted-manifest.js';
import { writeApiKeys } from '../support/credentials.js';
import { createTestGateway, type TestGateway } from '../support/gateway.js';
import { scratchDir } from '../support/scratch.js';
import { contextEvents, listen, wsClient } from './support.js';

let t: TestGateway;
let server: Awaited<ReturnType<typeof listen>>;
let keys: Awaited<ReturnType<typeof writeApiKeys<'reader' | 'writer'>>>;
let manifestFile: string;
let followId: string;
const FOLLOW = contextEvents('eventId type serviceId service { status }').replace('subscription(', 'subscription Follow(');

beforeAll(async () => {
  keys = await writeApiKeys({ reader: ['context:read'], writer: ['context:write', 'context:read'] });
  followId = operationId(FOLLOW);
  manifestFile = path.join(await scratchDir('ws-'), 'manifest.json');
  await writeFile(manifestFile, JSON.stringify({ [`sha256:${followId}`]: FOLLOW }));
  t = await createTestGateway({
    AUTH_MODE: 'apikey',
    API_KEYS_FILE: keys.file,
    PERSISTED_OPERATIONS_MANIFEST: manifestFile,
    LOG_LEVEL: 'info',
  });
  server = await listen(t, 3);
});
afterAll(async () => {
  await server?.close();
  await t?.close();
});

const write = () => {
  const post = (query: string, variables: Record<string, unknown>) =>
    t.post({ query, variables }, keys.headers.writer).then((r) => r.body.data);
  return {
    startService: async (customerId: string) =>
      (await post('mutation($c: String) { startService(input: { customerId: $c }) { service { serviceId } } }', { c: customerId }))
        .startService.service.serviceId as string,
    startTask: (serviceId: string) =>
      post('mutation($s: ID!) { startTask(input: { serviceId: $s }) { task { taskId } } }', { s: serviceId }),
    completeService: (serviceId: string) =>
      post('mutation($s: ID!) { completeService(input: { serviceId: $s }) { service { serviceId } } }', { s: serviceId }),
  };
};

describe('WebSocket', () => {
  test('events, current values, and resume with after', async () => {
    const ws = wsClient(server.url, { authorization: keys.headers.reader.authorization });
    const sub = ws.subscribe({ query: FOLLOW, variables: { customerId: 'W-1' } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const service = await write().startService('W-1');
    await write().startTask(service);
    const [started, task] = (await sub.take(2)).map((r) => r.data.contextEvents);
    expect([started.type, task.type]).toEqual(['SERVICE_STARTED', 'TASK_STARTED']);
    sub.close();
    await write().completeService(service);
    const resumed = ws.subscribe({ query: FOLLOW, variables: { customerId: 'W-1', after: task.eventId } });
    expect((await resumed.take(1)).map((r) => r.data.contextEvents)).toEqual([
      expect.objectContaining({ type: 'SERVICE_COMPLETED', serviceId: service, service: { status: 'COMPLETED' } }),
    ]);
    resumed.close();
    await ws.dispose();
    expect(t.logs.some((line) => line.transport === 'websocket' && line.operation === 'Follow' && line.principal === 'reader')).toBe(true);
  });

  test('a persisted operation by id', async () => {
    const ws = wsClient(server.url, { authorization: keys.headers.reader.authorization });
    const sub = ws.subscribe({
      query: '',
      variables: { customerId: 'W-2' },
      extensions: { persistedQuery: { version: 1, sha256Hash: followId } },
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const service = await write().startService('W-2');
    expect((await sub.take(1))[0].data.contextEvents).toMatchObject({ type: 'SERVICE_STARTED', serviceId: service });
    await ws.dispose();
  });

  test('bad credentials close the connection with 4403; a missing scope is FORBIDDEN', async () => {
    const stranger = wsClient(server.url, { authorization: 'Bearer nope' });
    const refused = stranger.subscribe({ query: FOLLOW, variables: { customerId: 'W-3' } });
    const outcome = await refused.ended;
    expect(outcome).not.toBe('complete');
    expect(stranger.closes[0]?.code).toBe(4403);
    const writerOnly = await writeApiKeys({ w: ['context:write'] });
    const other = await createTestGateway({ AUTH_MODE: 'apikey', API_KEYS_FILE: writerOnly.file }, t.databaseUrl);
    const otherServer = await listen(other);
    try {
      const ws = wsClient(otherServer.url, { authorization: writerOnly.headers.w.authorization });
      const sub = ws.subscribe({ query: FOLLOW, variables: { customerId: 'W-3' } });
      const [result] = await sub.take(1);
      expect(result.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', scope: 'context:read' });
      await ws.dispose();
    } finally {
      await otherServer.close();
      await other.close();
    }
  });

  test('MAX_SUBSCRIPTIONS_PER_CLIENT per connection', async () => {
    const ws = wsClient(server.url, { authorization: keys.headers.reader.authorization });
    const held = [1, 2, 3].map((i) => ws.subscribe({ query: FOLLOW, variables: { customerId: `L-${i}` } }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const fourth = ws.subscribe({ query: FOLLOW, variables: { customerId: 'L-4' } });
    const outcome = await fourth.ended;
    expect(outcome).toMatchObject({
      errors: [expect.objectContaining({ extensions: { code: 'QUERY_LIMIT_EXCEEDED', limit: 'subscriptions' } })],
    });
    for (const sub of held) sub.close();
    await ws.dispose();
  });

  test('stopping the gateway completes WebSocket subscriptions too', async () => {
    const stopping = await createTestGateway({}, t.databaseUrl);
    const stoppingServer = await listen(stopping);
    const ws = wsClient(stoppingServer.url);
    const sub = ws.subscribe({ query: FOLLOW, variables: { customerId: 'W-9' } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await stopping.gateway.dispose();
    expect(await sub.ended).toBe('complete');
    await ws.dispose();
    await stoppingServer.close();
    await stopping.close();
  });
});
