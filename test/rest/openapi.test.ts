// The OpenAPI 3.1 document at REST_BASE_PATH/openapi.json: generated from the route declarations,
// valid for a real OpenAPI validator, and naming every route the gateway serves or answers 501.
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../src/rest/routes.js';
import { createTestGateway, type TestGateway } from '../support/gateway.js';
import { rest, send } from './support.js';

let t: TestGateway;
beforeAll(async () => {
  t = await createTestGateway();
});
afterAll(() => t.close());

describe('GET /genesys/1/cs/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const answer = await rest(t, 'GET', '/openapi.json');
    expect(answer.status).toBe(200);
    expect(answer.body.openapi).toBe('3.1.0');
    const result = await new Validator().validate(answer.body);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('has one operation per route, the schemas that validate requests, and the base path as its server', async () => {
    const { body: document } = await rest(t, 'GET', '/openapi.json');
    expect(document.servers).toEqual([{ url: '/genesys/1/cs' }]);
    for (const route of ROUTES) {
      expect(document.paths[route.path]?.[route.method.toLowerCase()], `${route.method} ${route.path}`).toBeDefined();
    }
    const start = document.paths['/services/start'].post;
    expect(start.description).toMatch(/^1 Start Service \(CV\.WS\.SRV\.1\)\. GraphQL: `startService\(input\)`/);
    expect(start.requestBody.content['application/json'].schema.properties).toHaveProperty('contact_key');
    expect(start.responses['201'].headers).toHaveProperty('Location');
    const active = document.paths['/customers/{customer_id}/services/active'].get;
    expect(active.parameters.map((p: any) => `${p.in}:${p.name}`)).toEqual(
      expect.arrayContaining(['path:customer_id', 'query:active_states', 'query:extensions', 'query:map_names', 'query:limit']),
    );
    expect(Object.keys(document.paths['/maintenance/purge'].post.responses)).toEqual(['501']);
  });

  it('names the root paths when REST_BASE_PATH is /', async () => {
    const root = await createTestGateway({ REST_BASE_PATH: '/' }, t.databaseUrl);
    try {
      const answer = await send(root, 'GET', '/openapi.json');
      expect(answer.body.servers).toEqual([{ url: '/' }]);
      expect((await send(root, 'POST', '/graphql', { query: '{ __typename }' })).body).toEqual({ data: { __typename: 'Query' } });
    } finally {
      await root.close();
    }
  });
});
