// Cross-origin browser access: open in development, only for the named origins otherwise.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../support/gateway.js';

const preflight = (t: TestGateway, origin: string, headers = 'content-type,authorization') =>
  t.gateway.fetch('http://gateway.test/graphql', {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': headers },
  });

/** The request headers a preflight's answer allows, lowercased. */
const allowedHeaders = (response: Response) => (response.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(/\s*,\s*/);

describe('CORS', () => {
  let open: TestGateway;
  let named: TestGateway;
  let closed: TestGateway;
  beforeAll(async () => {
    open = await createTestGateway();
    named = await createTestGateway({ CORS_ORIGINS: 'https://desk.example.com,https://www.example.com' });
    closed = await createTestGateway({ NODE_ENV: 'production', AUTH_MODE: 'none', PERSISTED_OPERATIONS: 'allow' });
  });
  afterAll(async () => {
    await Promise.all([open.close(), named.close(), closed.close()]);
  });

  it('allows any origin by default in development', async () => {
    const response = await preflight(open, 'https://anywhere.example.org');
    expect(response.headers.get('access-control-allow-origin')).toMatch(/^(\*|https:\/\/anywhere\.example\.org)$/);
  });

  it('allows only the named origins when CORS_ORIGINS is set', async () => {
    const allowed = await preflight(named, 'https://desk.example.com');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://desk.example.com');
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    const refused = await preflight(named, 'https://evil.example.org');
    expect(refused.headers.get('access-control-allow-origin')).not.toBe('https://evil.example.org');
  });

  it('allows no cross-origin browser access in production unless origins are named', async () => {
    const response = await preflight(closed, 'https://desk.example.com');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('allows the tracing, Sentry and Apollo headers browser SDKs add', async () => {
    const sent = ['traceparent', 'tracestate', 'baggage', 'sentry-trace', 'apollographql-client-name', 'apollographql-client-version'];
    const response = await preflight(named, 'https://desk.example.com', ['content-type', ...sent].join(','));
    expect(response.status).toBeLessThan(300);
    expect(allowedHeaders(response)).toEqual(expect.arrayContaining(sent));
  });

  it('allows more headers named in CORS_ALLOW_HEADERS', async () => {
    const more = await createTestGateway({ CORS_ORIGINS: 'https://desk.example.com', CORS_ALLOW_HEADERS: 'X-Tenant,x-desk-version' });
    try {
      const response = await preflight(more, 'https://desk.example.com', 'content-type,x-tenant,x-desk-version');
      expect(allowedHeaders(response)).toEqual(expect.arrayContaining(['x-tenant', 'x-desk-version', 'traceparent']));
      expect(allowedHeaders(await preflight(named, 'https://desk.example.com', 'x-tenant'))).not.toContain('x-tenant');
    } finally {
      await more.close();
    }
    await expect(createTestGateway({ CORS_ALLOW_HEADERS: 'x-tenant, x-desk' })).rejects.toThrow(/CORS_ALLOW_HEADERS/);
  });

  it('refuses a malformed origin list at start', async () => {
    await expect(createTestGateway({ CORS_ORIGINS: 'desk.example.com' })).rejects.toThrow(/CORS_ORIGINS/);
  });
});
