import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { generate } from '@graphql-codegen/cli';
import { addTypenameSelectionDocumentTransform } from '@graphql-codegen/client-preset';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/paths.js';
import { operationId } from '../../src/server/persisted-manifest.js';
import { createTestGateway, type TestGateway } from '../support/gateway.js';
import { scratchDir } from '../support/scratch.js';

// Persisted documents as frontends build them: graphql-codegen's client preset with
// persistedDocuments writes persisted-documents.json ({ "sha256:<hex>": document }); the gateway
// serves that manifest, and clients send the ids as documentId or as an APQ hash.
const FIXTURES = path.join(PROJECT_ROOT, 'test', 'fixtures', 'desk');

let dir: string;
let manifestFile: string;
/** Operation name -> the id codegen gave it. */
let ids: Record<string, string>;
beforeAll(async () => {
  dir = await scratchDir('persisted-');
  const manifest = await codegenManifest(dir);
  ids = Object.fromEntries(Object.entries(manifest).map(([id, text]) => [/(?:query|mutation) (\w+)/.exec(text)![1], id]));
  manifestFile = path.join(dir, 'gql', 'persisted-documents.json');
}, 60_000);

/** Runs codegen's client preset over the fixture documents; returns the manifest it wrote. */
async function codegenManifest(output: string): Promise<Record<string, string>> {
  await generate(
    {
      schema: path.join(PROJECT_ROOT, 'schema.graphql'),
      documents: [path.join(FIXTURES, '*.tsx'), path.join(FIXTURES, '*.graphql')],
      generates: {
        [`${output}/gql/`]: {
          preset: 'client',
          // GraphQL over HTTP's documentId form; the README's codegen.ts says the same.
          presetConfig: { persistedDocuments: { hashAlgorithm: (operation: string) => `sha256:${operationId(operation)}` } },
          // The __typename Apollo Client's cache needs, persisted with the documents.
          documentTransforms: [addTypenameSelectionDocumentTransform],
        },
      },
      silent: true,
    },
    true,
  );
  return JSON.parse(await readFile(path.join(output, 'gql', 'persisted-documents.json'), 'utf8'));
}

const byId = (id: string, variables?: Record<string, unknown>) => ({
  variables,
  extensions: { persistedQuery: { version: 1, sha256Hash: id } },
});

describe('the manifest codegen writes', () => {
  it('holds each operation with the fragments it spreads, under sha256:<hex> of its text', async () => {
    expect(Object.keys(ids).sort()).toEqual(['Caller', 'ServiceLookup', 'StartCall']);
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as Record<string, string>;
    expect(manifest[ids.Caller]).toContain('fragment CallerCard on Customer');
    for (const [id, text] of Object.entries(manifest)) expect(id).toBe(`sha256:${operationId(text)}`);
  });
});

describe('PERSISTED_OPERATIONS=only', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await createTestGateway({ PERSISTED_OPERATIONS: 'only', PERSISTED_OPERATIONS_MANIFEST: manifestFile });
  });
  afterAll(() => t.close());

  it('runs manifest documents by documentId in a POST body, and in a GET query string', async () => {
    const started = await t.post({ documentId: ids.StartCall, variables: { input: { customerId: 'C1' } } });
    expect(started.status).toBe(200);
    const { serviceId } = started.body.data.startService.service;
    const query = new URLSearchParams({ documentId: ids.ServiceLookup, variables: JSON.stringify({ serviceId }) });
    const read = await t.gateway.fetch(`http://gateway.test/graphql?${query}`, {
      headers: { accept: 'application/graphql-response+json' },
    });
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual({ data: { __typename: 'Query', service: { __typename: 'Service', serviceId, status: 'ACTIVE' } } });
    const caller = await t.post({ documentId: ids.Caller, variables: { customerId: 'C1' } });
    expect(caller.body.data.customer).toMatchObject({
      customerId: 'C1',
      attributes: {},
      services: { nodes: [{ serviceId, status: 'ACTIVE' }] },
    });
  });

  it('runs them by APQ hash too, with or without the sha256: prefix', async () => {
    for (const id of [ids.ServiceLookup, ids.ServiceLookup.slice('sha256:'.length)]) {
      expect((await t.post(byId(id, { serviceId: '999999999' }))).body).toEqual({ data: { __typename: 'Query', service: null } });
    }
  });

  it('serves Apollo Client sending the ids codegen embedded in its typed documents, fragments and cache intact', async () => {
    // What a frontend imports from codegen's output (src/gql in its repository).
    const { CallerDocument, StartCallDocument } = await import(path.join(dir, 'gql', 'graphql.ts'));
    const client = new ApolloClient({
      cache: new InMemoryCache(),
      link: new PersistedQueryLink({ generateHash: (document) => (document as { __meta__?: { hash: string } }).__meta__!.hash }).concat(
        new HttpLink({ uri: 'http://gateway.test/graphql', fetch: async (url, init) => t.gateway.fetch(String(url), init ?? {}) }),
      ),
    });
    const started = await client.mutate({ mutation: StartCallDocument, variables: { input: { customerId: 'C-apollo' } } });
    const { serviceId } = (started.data as any).startService.service;
    const { data } = await client.query({ query: CallerDocument, variables: { customerId: 'C-apollo' } });
    // The fragment's fields come through Apollo's cache only when __typename was persisted too.
    expect(data).toEqual({
      __typename: 'Query',
      customer: {
        __typename: 'Customer',
        customerId: 'C-apollo',
        attributes: {},
        services: { __typename: 'ServiceConnection', nodes: [{ __typename: 'Service', serviceId, status: 'ACTIVE' }] },
      },
    });
  });

  it('refuses a mutation by GET', async () => {
    const query = new URLSearchParams({ documentId: ids.StartCall, variables: JSON.stringify({ input: { customerId: 'C2' } }) });
    expect((await t.gateway.fetch(`http://gateway.test/graphql?${query}`)).status).toBe(405);
  });

  it('refuses any document, even one from the manifest, and writes nothing', async () => {
    const before = await t.sql('SELECT count(*)::int AS n FROM service');
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as Record<string, string>;
    for (const query of [manifest[ids.StartCall], 'mutation { startService(input: { customerId: "X" }) { service { serviceId } } }']) {
      const response = await t.post({ query, variables: { input: { customerId: 'C9' } } });
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
    expect((await t.post({ documentId: ids.ServiceLookup, variables: { serviceId: '1' } })).body.data.service).toBeNull();
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

  it('fails the start when a hash id is not the hash of its document', async () => {
    const forged = path.join(dir, 'forged.json');
    await writeFile(forged, JSON.stringify({ [`sha256:${operationId('{ __typename }')}`]: 'mutation { deleteEverything }' }));
    await expect(createTestGateway({ PERSISTED_OPERATIONS: 'allow', PERSISTED_OPERATIONS_MANIFEST: forged })).rejects.toThrow(
      /the id is not the SHA-256 of the document/,
    );
  });

  it('fails the start when a manifest document no longer validates', async () => {
    const stale = path.join(dir, 'stale.json');
    await writeFile(stale, JSON.stringify({ old: 'query Old { removedField }' }));
    await expect(createTestGateway({ PERSISTED_OPERATIONS: 'allow', PERSISTED_OPERATIONS_MANIFEST: stale })).rejects.toThrow(
      /operation old: Cannot query field "removedField"/,
    );
  });
});
