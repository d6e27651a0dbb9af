import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { exportJWK, exportSPKI, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestGateway, type TestGateway } from '../support/gateway.js';
import { scratchDir } from '../support/scratch.js';

const ISSUER = 'https://idp.example.test/';
const AUDIENCE = 'context-gateway';
const SECRET = 'a-test-secret-that-is-at-least-32-characters-long';
const QUERY = '{ service(serviceId: "1") { serviceId } }';

interface Claims extends JWTPayload {
  scope?: string;
  scp?: string[];
}

function sign(
  claims: Claims,
  key: Parameters<SignJWT['sign']>[0],
  { alg = 'HS256', kid, expiresIn = '5m' }: { alg?: string; kid?: string; expiresIn?: string | number } = {},
) {
  const jwt = new SignJWT({ sub: 'agent-7', iss: ISSUER, aud: AUDIENCE, scope: 'context:read', ...claims })
    .setProtectedHeader({ alg, ...(kid && { kid }) })
    .setIssuedAt();
  if (expiresIn !== 0) jwt.setExpirationTime(expiresIn);
  return jwt.sign(key);
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const hmac = (secret: string) => new TextEncoder().encode(secret);
const jwtEnv = { AUTH_MODE: 'jwt', JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE };

async function expectUnauthenticated(t: TestGateway, headers: Record<string, string>, message: RegExp) {
  const response = await t.post({ query: QUERY }, headers);
  expect(response.status).toBe(401);
  expect(response.headers.get('www-authenticate')).toBe('Bearer');
  expect(response.body.data).toBeUndefined();
  expect(response.body.errors).toHaveLength(1);
  expect(response.body.errors![0].extensions).toEqual({ code: 'UNAUTHENTICATED' });
  expect(response.body.errors![0].message).toMatch(message);
}

describe('AUTH_MODE=jwt with an HS256 secret', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await createTestGateway({ ...jwtEnv, JWT_SECRET: SECRET });
  });
  afterAll(() => t.close());

  it('accepts a valid token', async () => {
    const response = await t.post({ query: QUERY }, bearer(await sign({}, hmac(SECRET))));
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ data: { service: null } });
  });

  it('refuses a request without credentials, before parsing it', async () => {
    await expectUnauthenticated(t, {}, /missing credentials/);
    const garbage = await t.post({ query: '{ nonsense' });
    expect(garbage.status).toBe(401);
  });

  it('refuses a forged token (signed with another secret)', async () => {
    await expectUnauthenticated(t, bearer(await sign({}, hmac(`${SECRET}-forged`))), /signature verification failed/);
  });

  it('refuses an expired token, and accepts one expired within the clock skew', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectUnauthenticated(t, bearer(await sign({}, hmac(SECRET), { expiresIn: now - 60 })), /"exp" claim/);
    const response = await t.post({ query: QUERY }, bearer(await sign({}, hmac(SECRET), { expiresIn: now - 10 })));
    expect(response.status).toBe(200);
  });

  it('refuses a token for another audience or from another issuer', async () => {
    await expectUnauthenticated(t, bearer(await sign({ aud: 'another-api' }, hmac(SECRET))), /"aud" claim/);
    await expectUnauthenticated(t, bearer(await sign({ iss: 'https://evil.test/' }, hmac(SECRET))), /"iss" claim/);
  });

  it('refuses a token without expiry or subject, and an unsigned one', async () => {
    await expectUnauthenticated(t, bearer(await sign({}, hmac(SECRET), { expiresIn: 0 })), /"exp" claim/);
    await expectUnauthenticated(t, bearer(await sign({ sub: undefined }, hmac(SECRET))), /"sub" claim/);
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sub: 'x', iss: ISSUER, aud: AUDIENCE, exp: 9e9, scope: 'context:read' })).toString(
      'base64url',
    );
    await expectUnauthenticated(t, bearer(`${header}.${payload}.`), /invalid token/);
    await expectUnauthenticated(t, bearer('not-a-jwt'), /invalid token/);
  });

  it('takes scopes from `scope` or `scp` and ignores unknown ones', async () => {
    const writeOnly = await t.post({ query: QUERY }, bearer(await sign({ scope: 'context:write other:read' }, hmac(SECRET))));
    expect(writeOnly.body.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', scope: 'context:read' });
    const scp = await t.post({ query: QUERY }, bearer(await sign({ scope: undefined, scp: ['context:read'] }, hmac(SECRET))));
    expect(scp.body).toEqual({ data: { service: null } });
  });
});

describe('AUTH_MODE=jwt with an RS256 public key file or an ES256 JWKS file', () => {
  let dir: string;
  let rsa: Awaited<ReturnType<typeof generateKeyPair>>;
  let ec: Awaited<ReturnType<typeof generateKeyPair>>;
  beforeAll(async () => {
    dir = await scratchDir('jwt-keys-');
    rsa = await generateKeyPair('RS256');
    ec = await generateKeyPair('ES256');
    await writeFile(path.join(dir, 'rsa.pem'), await exportSPKI(rsa.publicKey));
    const jwk = { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' };
    await writeFile(path.join(dir, 'jwks.json'), JSON.stringify({ keys: [jwk] }));
  });

  it('verifies RS256 with the public key, and refuses an HS256 token signed with that public key', async () => {
    const t = await createTestGateway({ ...jwtEnv, JWT_PUBLIC_KEY_FILE: path.join(dir, 'rsa.pem') });
    try {
      expect((await t.post({ query: QUERY }, bearer(await sign({}, rsa.privateKey, { alg: 'RS256' })))).status).toBe(200);
      // Algorithm confusion: the public key used as an HMAC secret.
      const pem = await exportSPKI(rsa.publicKey);
      await expectUnauthenticated(t, bearer(await sign({}, hmac(pem))), /alg/);
      const other = await generateKeyPair('RS256');
      await expectUnauthenticated(t, bearer(await sign({}, other.privateKey, { alg: 'RS256' })), /signature verification failed/);
    } finally {
      await t.close();
    }
  });

  it('verifies ES256 with a key from the JWKS file, and refuses unknown key ids', async () => {
    const t = await createTestGateway({ ...jwtEnv, JWT_JWKS_FILE: path.join(dir, 'jwks.json') });
    try {
      expect((await t.post({ query: QUERY }, bearer(await sign({}, ec.privateKey, { alg: 'ES256', kid: 'ec-1' })))).status).toBe(200);
      const other = await generateKeyPair('ES256');
      await expectUnauthenticated(t, bearer(await sign({}, other.privateKey, { alg: 'ES256', kid: 'ec-2' })), /no applicable key/);
    } finally {
      await t.close();
    }
  });

  it('fails the start when the key file is missing', async () => {
    await expect(createTestGateway({ ...jwtEnv, JWT_PUBLIC_KEY_FILE: path.join(dir, 'absent.pem') })).rejects.toThrow(
      /JWT_PUBLIC_KEY_FILE=.*absent\.pem.*cannot read/,
    );
  });
});

describe('AUTH_MODE=jwt with the identity provider JWKS URL', () => {
  // A loopback identity provider whose key set the test rotates, counting the fetches it serves.
  let keys: object[] = [];
  let fetches = 0;
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((_request, response) => {
      fetches++;
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const publicJwk = async (pair: Awaited<ReturnType<typeof generateKeyPair>>, kid: string) => ({
    ...(await exportJWK(pair.publicKey)),
    kid,
    alg: 'RS256',
    use: 'sig',
  });

  it('fetches the keys once, follows a rotation without a restart, and refetches at most once per cooldown', async () => {
    const first = await generateKeyPair('RS256');
    const second = await generateKeyPair('RS256');
    keys = [await publicJwk(first, 'k1')];
    fetches = 0;
    const t = await createTestGateway({ ...jwtEnv, JWT_JWKS_URL: url });
    // The clock the cooldown (30 s by default) is measured by, moved by the test alone.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    try {
      const withKey = async (pair: typeof first, kid: string) => bearer(await sign({}, pair.privateKey, { alg: 'RS256', kid }));
      for (let i = 0; i < 3; i++) expect((await t.post({ query: QUERY }, await withKey(first, 'k1'))).status).toBe(200);
      expect(fetches).toBe(1);

      // The provider rotates: k1 is withdrawn, k2 signs. A k2 token arriving within the cooldown
      // is refused without a fetch; once it has passed, the unknown kid fetches the new set.
      keys = [await publicJwk(second, 'k2')];
      await expectUnauthenticated(t, await withKey(second, 'k2'), /no applicable key/);
      expect(fetches).toBe(1);
      vi.setSystemTime(Date.now() + 31_000);
      expect((await t.post({ query: QUERY }, await withKey(second, 'k2'))).status).toBe(200);
      expect(fetches).toBe(2);

      // Tokens naming keys nobody published (or k1, now withdrawn) cost no fetch within the cooldown.
      const forged = await generateKeyPair('RS256');
      for (let i = 0; i < 5; i++) await expectUnauthenticated(t, await withKey(forged, `forged-${i}`), /no applicable key/);
      await expectUnauthenticated(t, await withKey(first, 'k1'), /no applicable key/);
      expect(fetches).toBe(2);
    } finally {
      vi.useRealTimers();
      await t.close();
    }
  });

  it('answers 503 SERVICE_UNAVAILABLE, not 401, while the provider cannot be reached or answers an error', async () => {
    const pair = await generateKeyPair('RS256');
    const token = bearer(await sign({}, pair.privateKey, { alg: 'RS256', kid: 'k1' }));
    const down = createServer((_request, response) => response.writeHead(502).end('bad gateway'));
    await new Promise<void>((resolve) => down.listen(0, '127.0.0.1', resolve));
    const failing = `http://127.0.0.1:${(down.address() as AddressInfo).port}/jwks.json`;
    const closed = failing.replace('/jwks.json', '/closed');
    for (const jwksUrl of [failing, closed]) {
      if (jwksUrl === closed) await new Promise<void>((resolve) => down.close(() => resolve()));
      const t = await createTestGateway({ ...jwtEnv, JWT_JWKS_URL: jwksUrl });
      try {
        const response = await t.post({ query: QUERY }, token);
        expect(response.status).toBe(503);
        expect(response.headers.get('retry-after')).toBe('5');
        expect(response.body.errors).toEqual([
          { message: expect.stringMatching(/identity provider's keys cannot be fetched/), extensions: { code: 'SERVICE_UNAVAILABLE' } },
        ]);
      } finally {
        await t.close();
      }
    }
  });

  it('refuses a JWKS URL that is not http(s), and a second key source', async () => {
    await expect(createTestGateway({ ...jwtEnv, JWT_JWKS_URL: 'file:///etc/jwks.json' })).rejects.toThrow(/JWT_JWKS_URL/);
    await expect(createTestGateway({ ...jwtEnv, JWT_JWKS_URL: url, JWT_SECRET: SECRET })).rejects.toThrow(/exactly one of/);
  });
});
