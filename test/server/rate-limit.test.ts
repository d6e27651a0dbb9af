import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeApiKeys } from '../support/credentials.js';
import { createTestGateway, type HttpResponse, type TestGateway } from '../support/gateway.js';

const QUERY = { query: '{ customer(customerId: "C1") { customerId } }' };

describe('rate limit per credential', () => {
  let t: TestGateway;
  let keys: Record<'a' | 'b', Record<string, string>>;
  beforeAll(async () => {
    const written = await writeApiKeys({ a: ['context:read'], b: ['context:read'] });
    keys = written.headers;
    t = await createTestGateway({ AUTH_MODE: 'apikey', API_KEYS_FILE: written.file, RATE_LIMIT_PER_MINUTE: '6', RATE_LIMIT_BURST: '3' });
  });
  afterAll(() => t.close());

  it('lets a burst through, then answers RATE_LIMITED (429) before any SQL, without touching other callers', async () => {
    const batch = await t.post([QUERY, QUERY], keys.a);
    expect(batch.body).toEqual([{ data: { customer: null } }, { data: { customer: null } }]);
    expect((await t.post(QUERY, keys.a)).status).toBe(200);

    let refused: HttpResponse | undefined;
    expect(await t.recordQueries(async () => (refused = await t.post(QUERY, keys.a)))).toEqual([]);
    expect(refused!.status).toBe(429);
    // 6 per minute: the next token is 10 s away (less the time the requests above took).
    const retryAfter = Number(refused!.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(9);
    expect(retryAfter).toBeLessThanOrEqual(10);
    expect(refused!.body.errors).toEqual([
      {
        message: `rate limit exceeded for a: 6 operations per minute, bursts of 3; retry in ${retryAfter} s`,
        extensions: { code: 'RATE_LIMITED', retryAfter },
      },
    ]);

    expect((await t.post(QUERY, keys.b)).status).toBe(200);
  });
});

describe('without credentials (AUTH_MODE=none)', () => {
  it('does not limit', async () => {
    const t = await createTestGateway({ RATE_LIMIT_PER_MINUTE: '1', RATE_LIMIT_BURST: '1' });
    try {
      for (let i = 0; i < 3; i++) expect((await t.post(QUERY)).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});
