// Malformed requests are the client's mistake: each gets a 4xx saying what is wrong, never a 500;
// a 5xx that remains names the request; production does not echo parser messages; a batch
// without credentials is refused like a single request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeApiKeys } from '../support/credentials.js';
import { createTestGateway, type TestGateway } from '../support/gateway.js';

let t: TestGateway;
beforeAll(async () => {
  t = await createTestGateway({ NODE_ENV: 'production', AUTH_MODE: 'none', PERSISTED_OPERATIONS: 'allow', LOG_LEVEL: 'error' });
});
afterAll(() => t.close());

async function send(gateway: TestGateway, path: string, init: RequestInit = {}) {
  const response = await gateway.gateway.fetch(`http://gateway.test${path}`, init);
  return { status: response.status, body: (await response.json()) as any };
}
const postText = (body: string, gateway = t) =>
  send(gateway, '/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
const badRequest = (message: string) => ({ status: 400, body: { errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] } });

/** `levels` nested arrays or objects, as JSON text. */
const nested = (levels: number, objects: boolean) =>
  objects ? `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}` : `${'['.repeat(levels)}1${']'.repeat(levels)}`;

describe('deeply nested input', () => {
  it.each([
    ['arrays in a variable', `{"query":"{ __typename }","variables":{"v":${nested(12_000, false)}}}`, 'variables'],
    [
      'objects in a JSON argument',
      `{"query":"query($a: JSONObject!) { identifyCustomers(attributes: $a) { customerId } }","variables":{"a":{"x":${nested(12_000, true)}}}}`,
      'variables',
    ],
    [
      'objects in an input',
      `{"query":"mutation($i: StartServiceInput!) { startService(input: $i) { service { serviceId } } }","variables":{"i":{"contactKey":"k","extensions":{"x":${nested(12_000, true)}}}}}`,
      'variables',
    ],
    ['objects in extensions', `{"query":"{ __typename }","extensions":{"e":${nested(12_000, true)}}}`, 'extensions'],
  ])('is refused with 400 (%s nested 12,000 levels)', async (_what, body, where) => {
    expect(await postText(body)).toEqual(badRequest(`the request: ${where} are nested deeper than 64 levels`));
  });

  it('is accepted up to 64 levels', async () => {
    const response = await postText(`{"query":"{ __typename }","variables":{"v":${nested(63, true)}}}`);
    expect(response).toEqual({ status: 200, body: { data: { __typename: 'Query' } } });
  });
});

describe('GET parameters that are not JSON', () => {
  const query = encodeURIComponent('{ __typename }');
  it.each([
    ['variables', `variables=${encodeURIComponent('{not json')}`],
    ['extensions', `extensions=${encodeURIComponent('{not json')}`],
    ['variables and extensions', `variables=%7B&extensions=%5B`],
  ])('are refused with 400 naming %s', async (names, params) => {
    expect(await send(t, `/graphql?query=${query}&${params}`)).toEqual(badRequest(`${names} must be JSON`));
  });
});

describe('batches', () => {
  it.each([
    ['[null]', 0],
    ['[1]', 0],
    ['[{"query":"{ __typename }"},"{ __typename }"]', 1],
  ])('with an item that is no request object (%s) are refused with 400', async (body, item) => {
    expect(await postText(body)).toEqual(
      badRequest(
        `batch item ${item} is not a GraphQL request: send an object with "query" (or a persisted query id) and optional "variables"`,
      ),
    );
  });

  it('without credentials are refused with 401, like a single request', async () => {
    const keys = await writeApiKeys({ reader: ['context:read'] });
    const secured = await createTestGateway({ AUTH_MODE: 'apikey', API_KEYS_FILE: keys.file }, t.databaseUrl);
    try {
      const refused = {
        status: 401,
        body: {
          errors: [{ message: 'missing credentials: send Authorization: Bearer <credential>', extensions: { code: 'UNAUTHENTICATED' } }],
        },
      };
      expect(await postText('[{"query":"{ __typename }"},{"query":"{ __typename }"}]', secured)).toEqual(refused);
      expect(await postText('{"query":"{ __typename }"}', secured)).toEqual(refused);
    } finally {
      await secured.close();
    }
  });
});

describe('an invalid JSON body', () => {
  it('does not echo the parser in production', async () => {
    expect(await postText('{"query":')).toEqual(badRequest('POST body sent invalid JSON.'));
  });

  it('keeps the parser message outside production', async () => {
    const dev = await createTestGateway({ NODE_ENV: 'development' }, t.databaseUrl);
    try {
      const response = await postText('{"query":', dev);
      expect(response.status).toBe(400);
      expect(response.body.errors[0].extensions.originalError).toMatchObject({ name: 'SyntaxError' });
    } finally {
      await dev.close();
    }
  });
});

describe('an unexpected failure outside execution', () => {
  it('answers 500 with the request id, and logs the cause with it', async () => {
    const forRequest = t.db.forRequest;
    // A failure while the context is built stands for any bug outside the resolvers.
    t.db.forRequest = () => {
      throw new Error('injected context failure');
    };
    try {
      const response = await t.post({ query: '{ __typename }' }, { 'x-request-id': 'bug-1' });
      expect(response.status).toBe(500);
      expect(response.body).toEqual({
        errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'bug-1' } }],
      });
    } finally {
      t.db.forRequest = forRequest;
    }
    expect(t.logs.find((l) => l.requestId === 'bug-1' && l.msg === 'unexpected error')).toMatchObject({
      err: { message: 'injected context failure' },
    });
  });
});
