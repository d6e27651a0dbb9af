// A REST route goes through the GraphQL pipeline: credentials and scopes, rate limit, body
// limit, persisted-operation policy, request log and metrics, the SQL-JSON fast path.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeApiKeys } from '../support/credentials.js';
import { createTestGateway, type TestGateway } from '../support/gateway.js';
import { scratchDir } from '../support/scratch.js';
import { rest } from './support.js';

describe('with API keys, a rate limit, a small body limit and persisted operations only', () => {
  let t: TestGateway;
  let keys: Record<'reader' | 'writer' | 'limited', Record<string, string>>;
  beforeAll(async () => {
    const written = await writeApiKeys({ reader: ['context:read'], writer: ['context:write'], limited: ['context:write'] });
    keys = written.headers;
    const manifest = path.join(await scratchDir('manifest-'), 'persisted-operations.json');
    await writeFile(manifest, '{}');
    t = await createTestGateway({
      PERSISTED_OPERATIONS_MANIFEST: manifest,
      LOG_LEVEL: 'info',
      AUTH_MODE: 'apikey',
      API_KEYS_FILE: written.file,
      RATE_LIMIT_PER_MINUTE: '600',
      RATE_LIMIT_BURST: '40',
      MAX_BODY_BYTES: '1024',
      PERSISTED_OPERATIONS: 'only',
    });
  });
  afterAll(() => t.close());

  it('answers 401 without credentials, before running anything', async () => {
    const refused = await rest(t, 'POST', '/services/start', { customer_id: 'C1' });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer');
    expect(refused.body).toMatchObject({ code: 'UNAUTHENTICATED', exception: expect.stringMatching(/Exception$/) });
    expect(await t.sql('SELECT count(*)::int AS n FROM service')).toEqual([{ n: 0 }]);
  });

  it('answers 403 to a caller without the mutation’s scope, and serves one that has it', async () => {
    const refused = await rest(t, 'POST', '/services/start', { customer_id: 'C1' }, keys.reader);
    expect(refused).toMatchObject({
      status: 403,
      body: { code: 'FORBIDDEN', message: 'Mutation.startService needs the scope context:write' },
    });
    expect(await t.sql('SELECT count(*)::int AS n FROM service')).toEqual([{ n: 0 }]);
    expect((await rest(t, 'POST', '/services/start', { customer_id: 'C1' }, keys.writer)).status).toBe(201);
  });

  it('runs its own documents although clients may send persisted operations only', async () => {
    const document = await t.post({ query: '{ __typename }' }, keys.reader);
    expect(document.body.errors?.[0].extensions.code).toBe('PERSISTED_QUERY_ONLY');
    expect((await rest(t, 'POST', '/services/start', { customer_id: 'C2' }, keys.writer)).status).toBe(201);
  });

  it('answers 413 to a body over MAX_BODY_BYTES', async () => {
    const refused = await rest(t, 'POST', '/services/start', { customer_id: 'C1', padding: 'x'.repeat(2000) }, keys.writer);
    expect(refused).toMatchObject({ status: 413, body: { code: 'REQUEST_ENTITY_TOO_LARGE' } });
  });

  it('logs the route, the operation and the caller’s request id, and echoes the id', async () => {
    const sent = await rest(t, 'POST', '/services/start', { customer_id: 'C3' }, { ...keys.writer, 'x-request-id': 'ivr-17' });
    expect(sent.headers.get('x-request-id')).toBe('ivr-17');
    expect(t.logs.filter((line) => line.requestId === 'ivr-17')).toEqual([
      expect.objectContaining({
        msg: 'graphql request',
        operation: 'RestStartService',
        route: 'POST /services/start',
        principal: 'writer',
        status: 201,
        outcome: 'ok',
      }),
    ]);
  });

  it('counts REST requests in the metrics by operation and outcome', async () => {
    await rest(t, 'POST', '/services/999999/end', {}, keys.writer);
    const metrics = await (await t.gateway.fetch('http://gateway.test/metrics')).text();
    expect(metrics).toMatch(/graphql_requests_total\{operation="RestStartService",outcome="ok"\} \d+/);
    expect(metrics).toMatch(/graphql_requests_total\{operation="RestCompleteService",outcome="NOT_FOUND"\} 1/);
  });

  it('answers 429 with Retry-After once the caller’s budget is spent', async () => {
    let last = await rest(t, 'GET', '/services/1', undefined, keys.limited);
    for (let i = 0; i < 100 && last.status !== 429; i++) last = await rest(t, 'POST', '/services/999999/end', {}, keys.limited);
    expect(last).toMatchObject({ status: 429, body: { code: 'RATE_LIMITED' } });
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('the SQL-JSON fast path', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await createTestGateway();
  });
  afterAll(() => t.close());

  it('starts a service with ONE statement, as startService over /graphql does', async () => {
    await rest(t, 'POST', '/services/start', { customer_id: 'C0' });
    const statements = await t.recordQueries(() => rest(t, 'POST', '/services/start', { customer_id: 'C1', interaction_id: 'I' }));
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/^WITH guard AS/);
  });
});
