// Subscriptions under the same credentials, scopes and persisted-operation rules as queries; a
// credential that expires ends its subscription with UNAUTHENTICATED.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { operationId } from '../../src/server/persisted-manifest.js';
import { writeApiKeys } from '../support/credentials.js';
import { createTestGateway, type TestGateway } from '../support/gateway.js';
import { scratchDir } from '../support/scratch.js';
import { contextEvents, listen, subscribeSse, writer, wsClient } from './support.js';

const ISSUER = 'https://idp.example.test/';
const AUDIENCE = 'context-gateway';
const SECRET = 'a-test-secret-that-is-at-least-32-characters-long';

const sign = (scope: string, expiresInSeconds: number) =>
  new SignJWT({ sub: 'agent-7', iss: ISSUER, aud: AUDIENCE, scope })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + expiresInSeconds)
    .sign(new TextEncoder().encode(SECRET));

describe('API keys and scopes', () => {
  let t: TestGateway;
  let keys: Awaited<ReturnType<typeof writeApiKeys<'reader' | 'writer'>>>;

  beforeAll(async () => {
    keys = await writeApiKeys({ reader: ['context:read'], writer: ['context:write'] });
    t = await createTestGateway({ AUTH_MODE: 'apikey', API_KEYS_FILE: keys.file });
  });
  afterAll(() => t?.close());

  test('no credentials: 401 UNAUTHENTICATED before anything runs', async () => {
    const sub = await subscribeSse(t, { customerId: 'A-1' });
    expect(sub.status).toBe(401);
    expect((await sub.next()).data.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  test('a key without context:read is FORBIDDEN; one with it follows', async () => {
    const refused = await subscribeSse(t, { customerId: 'A-1' }, { headers: keys.headers.writer });
    expect((await refused.next()).data.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', scope: 'context:read' });
    const sub = await subscribeSse(t, { customerId: 'A-1' }, { headers: keys.headers.reader });
    await t.post({ query: 'mutation { startService(input: { customerId: "A-1" }) { service { serviceId } } }' }, keys.headers.writer);
    expect((await sub.take(1))[0].data.contextEvents.type).toBe('SERVICE_STARTED');
    await sub.close();
  });

  test('MAX_SUBSCRIPTIONS_PER_CLIENT: one credential cannot hold more', async () => {
    const limited = await createTestGateway(
      { AUTH_MODE: 'apikey', API_KEYS_FILE: keys.file, MAX_SUBSCRIPTIONS_PER_CLIENT: '2' },
      t.databaseUrl,
    );
    try {
      const held = [await subscribeSse(limited, { customerId: 'L' }, { headers: keys.headers.reader })];
      held.push(await subscribeSse(limited, { customerId: 'L' }, { headers: keys.headers.reader }));
      const third = await subscribeSse(limited, { customerId: 'L' }, { headers: keys.headers.reader });
      expect((await third.next()).data.errors[0].extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'subscriptions' });
      await held[0].close();
      // The slot is given back once the stream's cancel has reached the subscription.
      let again = await subscribeSse(limited, { customerId: 'L' }, { headers: keys.headers.reader });
      for (let tries = 0; !(await again.quiet(100)) && tries < 30; tries++) {
        again = await subscribeSse(limited, { customerId: 'L' }, { headers: keys.headers.reader });
      }
      expect(await again.quiet(100)).toBe(true);
      await Promise.all([held[1].close(), again.close()]);
    } finally {
      await limited.close();
    }
  });
});

/** Tokens expire on the second: no clock skew is allowed. */
const jwtGatewayWithoutSkew = () =>
  createTestGateway({ AUTH_MODE: 'jwt', JWT_SECRET: SECRET, JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE, JWT_CLOCK_SKEW_SECONDS: '0' });

describe('JWT expiry', () => {
  test('a token that expires ends the subscription with UNAUTHENTICATED', async () => {
    const t = await jwtGatewayWithoutSkew();
    try {
      const sub = await subscribeSse(t, { customerId: 'J-1' }, { headers: { authorization: `Bearer ${await sign('context:read', 2)}` } });
      expect(sub.status).toBe(200);
      const message = await sub.next(5_000);
      expect(message.data.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect((await sub.next()).event).toBe('complete');
    } finally {
      await t.close();
    }
  });
});

describe('persisted operations', () => {
  test('under PERSISTED_OPERATIONS=only a subscription runs by manifest id, and a document is refused', async () => {
    const document = contextEvents('eventId type serviceId').replace('subscription(', 'subscription Follow(');
    const id = `sha256:${operationId(document)}`;
    const dir = await scratchDir('persisted-');
    const file = path.join(dir, 'manifest.json');
    await writeFile(file, JSON.stringify({ [id]: document }));
    const t = await createTestGateway({ PERSISTED_OPERATIONS: 'only', PERSISTED_OPERATIONS_MANIFEST: file });
    try {
      const refused = await subscribeSse(t, { customerId: 'P-1' }, { query: document });
      expect((await refused.next()).data.errors[0].extensions.code).toBe('PERSISTED_QUERY_ONLY');
      const byId = await subscribeSse(
        t,
        {},
        {
          body: { documentId: id, variables: { customerId: 'P-1' } },
        },
      );
      const documents = await createTestGateway({}, t.databaseUrl);
      const service = await writer(documents).startService({ customerId: 'P-1' });
      await documents.close();
      expect((await byId.take(1))[0].data.contextEvents).toMatchObject({ type: 'SERVICE_STARTED', serviceId: service });
      await byId.close();
    } finally {
      await t.close();
    }
  });
});

describe('JWT expiry over WebSocket', () => {
  test('the subscription ends with UNAUTHENTICATED when the token of its connection expires', async () => {
    const t = await jwtGatewayWithoutSkew();
    const server = await listen(t);
    try {
      const ws = wsClient(server.url, { authorization: `Bearer ${await sign('context:read', 2)}` });
      const sub = ws.subscribe({ query: contextEvents('eventId'), variables: { customerId: 'J-2' } });
      const [result] = await sub.take(1, 6_000);
      expect(result.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(await sub.ended).toBe('complete');
      await ws.dispose();
    } finally {
      await server.close();
      await t.close();
    }
  });
});
