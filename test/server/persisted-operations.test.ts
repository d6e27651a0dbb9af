import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../src/graphql/schema.js';
import { extractOperations, operationId } from '../../src/server/persisted-manifest.js';
import { createTestGateway, type TestGateway } from '../support/gateway.js';

const CLIENT_FILES = [
  {
    name: 'service.graphql',
    body: `query GetService($id: ID!) { service(serviceId: $id) { ...ServiceBits } }
           fragment ServiceBits on Service { serviceId customerId status }`,
  },
  { name: 'start.graphql', body: 'mutation Start($c: String!) { startService(input: { customerId: $c }) { service { ...ServiceBits } } }' },
];

let dir: string;
let manifestFile: string;
let ids: Record<string, string>;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'persisted-'));
  const { manifest, operations, problems } = extractOperations(CLIENT_FILES, schema);
  expect(problems).toEqual([]);
  ids = Object.fromEntries(operations.map((o) => [o.name, o.id]));
  manifestFile = path.join(dir, 'manifest.json');
  await writeFile(manifestFile, JSON.stringify(manifest));
});

const byId = (id: string, variables?: Record<string, unknown>) => ({
  variables,
  extensions: { persistedQuery: { version: 1, sha256Hash: id } },
});

describe('extracting the manifest from client files', () => {
  it('keys each named operation, with the fragments it spreads, by the SHA-256 of its text', () => {
    const { manifest } = extractOperations(CLIENT_FILES, schema);
    expect(Object.keys(manifest).sort()).toEqual([ids.GetService, ids.Start].sort());
    expect(manifest[ids.Start]).toContain('fragment ServiceBits on Service');
    for (const [id, text] of Object.entries(manifest)) expect(operationId(text)).toBe(id);
  });

  it('reports anonymous, duplicate and invalid operations', () => {
    const { problems } = extractOperations(
      [
        { name: 'a.graphql', body: '{ service(serviceId: "1") { serviceId } } query Q { nope }' },
        { name: 'b.graphql', body: 'query Q { node(id: "x") { id } }' },
      ],
      schema,
    );
    expect(problems).toEqual([
      'a.graphql: every persisted operation needs a name',
      'b.graphql: operation Q is defined twice',
      expect.stringMatching(/^a\.graphql: operation Q: Cannot query field "nope" on type "Query"/),
    ]);
  });
});

describe('PERSISTED_OPERATIONS=only', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await createTestGateway({ PERSISTED_OPERATIONS: 'only', PERSISTED_OPERATIONS_MANIFEST: manifestFile });
  });
  afterAll(() => t.close());

  it('runs manifest operations by id', async () => {
    const started = await t.post(byId(ids.Start, { c: 'C1' }));
    expect(started.status).toBe(200);
    const { serviceId } = started.body.data.startService.service;
    const read = await t.post(byId(ids.GetService, { id: serviceId }));
    expect(read.body).toEqual({ data: { service: { serviceId, customerId: 'C1', status: 'ACTIVE' } } });
  });

  it('refuses any document, even one from the manifest, and writes nothing', async () => {
    const before = await t.sql('SELECT count(*)::int AS n FROM service');
    for (const query of [CLIENT_FILES[1].body, 'mutation { startService(input: { customerId: "X" }) { service { serviceId } } }']) {
      const response = await t.post({ query, variables: { c: 'C9' } });
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([
        { message: expect.stringMatching(/persisted operations only/), extensions: { code: 'PERSISTED_QUERY_ONLY' } },
      ]);
    }
    expect(await t.sql('SELECT count(*)::int AS n FROM service')).toEqual(before);
  });

  it('refuses unknown ids, and APQ registration', async () => {
    const unknown = await t.post(byId(operationId('{ service(serviceId: "1") { serviceId } }')));
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors).toEqual([{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }]);
    const query = '{ service(serviceId: "1") { serviceId } }';
    const register = await t.post({ query, ...byId(operationId(query)) });
    expect(register.body.errors?.[0].extensions.code).toBe('PERSISTED_QUERY_ONLY');
    expect((await t.post(byId(operationId(query)))).status).toBe(404);
  });

  it('asks for an id when there is neither id nor query', async () => {
    const response = await t.post({ variables: {} });
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0].extensions).toEqual({ code: 'PERSISTED_QUERY_ID_REQUIRED' });
  });
});

describe('PERSISTED_OPERATIONS=allow', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await createTestGateway({ PERSISTED_OPERATIONS: 'allow', PERSISTED_OPERATIONS_MANIFEST: manifestFile });
  });
  afterAll(() => t.close());

  it('runs documents and manifest ids', async () => {
    expect((await t.post({ query: '{ service(serviceId: "1") { serviceId } }' })).body).toEqual({ data: { service: null } });
    expect((await t.post(byId(ids.GetService, { id: '1' }))).body).toEqual({ data: { service: null } });
  });

  it('speaks Automatic Persisted Queries: unknown hash, then document with hash, then hash alone', async () => {
    const query = 'query Apq { customer(customerId: "nobody") { customerId } }';
    const hash = operationId(query);
    const miss = await t.post(byId(hash));
    expect(miss.status).toBe(404);
    expect(miss.body.errors?.[0]).toEqual({ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } });
    const register = await t.post({ query, ...byId(hash) });
    expect(register.body).toEqual({ data: { customer: null } });
    const hit = await t.post(byId(hash));
    expect(hit.status).toBe(200);
    expect(hit.body).toEqual({ data: { customer: null } });
  });

  it('refuses a document whose hash does not match', async () => {
    const query = '{ customer(customerId: "a") { customerId } }';
    const wrong = operationId('{ customer(customerId: "b") { customerId } }');
    const response = await t.post({ query, ...byId(wrong) });
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0].extensions).toEqual({ code: 'PERSISTED_QUERY_HASH_MISMATCH' });
    expect((await t.post(byId(wrong))).status).toBe(404);
  });
});

describe('loading the manifest', () => {
  it('fails the start in only mode when the manifest is missing', async () => {
    await expect(
      createTestGateway({ PERSISTED_OPERATIONS: 'only', PERSISTED_OPERATIONS_MANIFEST: path.join(dir, 'absent.json') }),
    ).rejects.toThrow(/PERSISTED_OPERATIONS_MANIFEST=.*absent\.json.*no such file/);
  });

  it('fails the start when a manifest document no longer validates', async () => {
    const stale = path.join(dir, 'stale.json');
    await writeFile(stale, JSON.stringify({ old: 'query Old { removedField }' }));
    await expect(createTestGateway({ PERSISTED_OPERATIONS: 'allow', PERSISTED_OPERATIONS_MANIFEST: stale })).rejects.toThrow(
      /operation old: Cannot query field "removedField"/,
    );
  });
});
