// Cross-origin browser access: open in development, only for the named origins otherwise.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../support/gateway.js';

const preflight = (t: TestGateway, origin: string) =>
  t.gateway.fetch('http://gateway.test/graphql', {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' },
  });

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

  it('refuses a malformed origin list at start', async () => {
    await expect(createTestGateway({ CORS_ORIGINS: 'desk.example.com' })).rejects.toThrow(/CORS_ORIGINS/);
  });
});
