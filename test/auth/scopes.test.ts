import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_MUTATIONS, requiredScope } from '../../src/auth/scopes.js';
import { schema } from '../../src/schema.js';
import { writeApiKeys } from '../support/credentials.js';
import { createTestGateway, type HttpResponse, type TestGateway } from '../support/gateway.js';

let t: TestGateway;
let keys: Awaited<ReturnType<typeof writeApiKeys<'reader' | 'writer' | 'admin' | 'agent'>>>['headers'];
let serviceId: string;
let ids: Record<'Service' | 'Customer' | 'State' | 'Task', string>;

beforeAll(async () => {
  const written = await writeApiKeys({
    reader: ['context:read'],
    writer: ['context:write'],
    admin: ['context:admin'],
    agent: ['context:read', 'context:write'],
  });
  keys = written.headers;
  t = await createTestGateway({ AUTH_MODE: 'apikey', API_KEYS_FILE: written.file, EXTENSIONS_MODE: 'schemaless' });
  const started = await t.post(
    { query: 'mutation { startService(input: { customerId: "C1" }) { service { id serviceId customer { id } } } }' },
    keys.agent,
  );
  const service = started.body.data.startService.service;
  serviceId = service.serviceId;
  const state = (
    await t.post({ query: `mutation { startState(input: { serviceId: "${serviceId}" }) { state { id stateId } } }` }, keys.agent)
  ).body.data.startState.state;
  const task = (
    await t.post(
      { query: `mutation { startTask(input: { serviceId: "${serviceId}", stateId: "${state.stateId}" }) { task { id } } }` },
      keys.agent,
    )
  ).body.data.startTask.task;
  ids = { Service: service.id, Customer: service.customer.id, State: state.id, Task: task.id };
  const key = await t.post(
    {
      query:
        'mutation { createIdentificationKey(input: { name: "phone", source: "profile", attributes: ["PhoneNumber"] }) { identificationKey { name } } }',
    },
    keys.admin,
  );
  expect(key.body.errors).toBeUndefined();
});
afterAll(() => t.close());

const START = 'mutation { startService(input: { customerId: "C2" }) { service { serviceId } } }';
const QUERIES: Record<string, string> = {
  service: `{ service(serviceId: "__ID__") { serviceId } }`,
  state: '{ state(stateId: "1") { stateId } }',
  task: '{ task(taskId: "1") { taskId } }',
  customer: '{ customer(customerId: "C1") { customerId } }',
  anonymousServices: '{ anonymousServices(contactKey: "k") { totalCount } }',
  extensionSchemas: '{ extensionSchemas { name } }',
  extensionSchema: '{ extensionSchema(owner: SERVICE, name: "coupon") { name } }',
  businessAttributes: '{ businessAttributes { name } }',
  identificationKeys: '{ identificationKeys { name } }',
  identifyCustomers: '{ identifyCustomers(attributes: { PhoneNumber: "1" }) { customerId } }',
};
const CREATE_SCHEMA = `mutation {
  createExtensionSchema(input: { owner: SERVICE, name: "coupon", multiValued: false, attributes: [{ name: "code", type: STRING }] }) {
    extensionSchema { name }
  }
}`;
const DELETE_SCHEMA = 'mutation { deleteExtensionSchema(input: { owner: SERVICE, name: "coupon" }) { deleted } }';
const schemas = async () => (await t.sql('SELECT count(*)::int AS n FROM extension_schema'))[0].n;
const NODE = 'query($id: ID!) { node(id: $id) { id } }';

/** Counts the SQL statements sent during `run`. */
const databaseCalls = async (run: () => Promise<unknown>) => (await t.recordQueries(run)).length;

const services = async () => (await t.sql('SELECT count(*)::int AS n FROM service'))[0].n;

describe('scopes on root fields (API keys)', () => {
  it('the rule covers every root field of the schema: read for queries, write or admin for mutations', () => {
    for (const [root, type] of [
      ['Query', schema.getQueryType()],
      ['Mutation', schema.getMutationType()],
    ] as const) {
      for (const field of Object.values(type!.getFields())) {
        const expected = requiredScope(root, field.name);
        expect(field.extensions.pothosOptions, `${root}.${field.name}`).toMatchObject({ authScopes: { [expected]: true } });
        if (root === 'Query') expect(expected).toBe('context:read');
        else expect(expected).toBe(ADMIN_MUTATIONS.has(field.name) ? 'context:admin' : 'context:write');
      }
    }
  });

  it('names only mutations that exist in the admin set', () => {
    const mutations = Object.keys(schema.getMutationType()!.getFields());
    expect(mutations).toEqual(expect.arrayContaining([...ADMIN_MUTATIONS]));
  });

  it('context:read reads every query field and every node type, and cannot write', async () => {
    for (const [name, query] of Object.entries(QUERIES)) {
      const result = await t.post({ query: query.replace('__ID__', serviceId) }, keys.reader);
      expect(result.body.errors, name).toBeUndefined();
    }
    for (const [type, id] of Object.entries(ids)) {
      const result = await t.post({ query: NODE, variables: { id } }, keys.reader);
      expect(result.body, type).toEqual({ data: { node: { id } } });
    }
    const before = await services();
    const result = await t.post({ query: START }, keys.reader);
    expect(result.body.data).toBeNull();
    expect(result.body.errors?.[0]).toMatchObject({
      message: 'Mutation.startService needs the scope context:write',
      extensions: { code: 'FORBIDDEN', scope: 'context:write' },
    });
    expect(await services()).toBe(before);
  });

  it('context:write writes, but reads nothing: no query field, no node type, no SQL', async () => {
    const before = await services();
    const started = await t.post({ query: START }, keys.writer);
    expect(started.body.errors).toBeUndefined();
    expect(await services()).toBe(before + 1);

    for (const [name, query] of Object.entries(QUERIES)) {
      let result: HttpResponse | undefined;
      expect(await databaseCalls(async () => (result = await t.post({ query: query.replace('__ID__', serviceId) }, keys.writer)))).toBe(0);
      expect(result!.body.data?.[name] ?? null, name).toBeNull();
      expect(result!.body.errors?.[0].extensions, name).toEqual({ code: 'FORBIDDEN', scope: 'context:read' });
    }
    for (const [type, id] of Object.entries(ids)) {
      let result: HttpResponse | undefined;
      expect(await databaseCalls(async () => (result = await t.post({ query: NODE, variables: { id } }, keys.writer)))).toBe(0);
      expect(result!.body.data, type).toEqual({ node: null });
      expect(result!.body.errors?.[0].extensions, type).toEqual({ code: 'FORBIDDEN', scope: 'context:read' });
    }
  });

  it('context:admin alone neither reads nor runs lifecycle mutations', async () => {
    const before = await services();
    const started = await t.post({ query: START }, keys.admin);
    expect(started.body.errors?.[0].extensions).toEqual({ code: 'FORBIDDEN', scope: 'context:write' });
    expect(await services()).toBe(before);
    const read = await t.post({ query: NODE, variables: { id: ids.Service } }, keys.admin);
    expect(read.body.errors?.[0].extensions).toEqual({ code: 'FORBIDDEN', scope: 'context:read' });
  });

  it('context:admin, and only it, manages extension schemas', async () => {
    for (const key of [keys.reader, keys.writer, keys.agent]) {
      const refused = await t.post({ query: CREATE_SCHEMA }, key);
      expect(refused.body.errors?.[0]).toMatchObject({
        message: 'Mutation.createExtensionSchema needs the scope context:admin',
        extensions: { code: 'FORBIDDEN', scope: 'context:admin' },
      });
      expect(await schemas()).toBe(0);
    }
    expect((await t.post({ query: CREATE_SCHEMA }, keys.admin)).body).toEqual({
      data: { createExtensionSchema: { extensionSchema: { name: 'coupon' } } },
    });
    const refused = await t.post({ query: DELETE_SCHEMA }, keys.agent);
    expect(refused.body.errors?.[0].extensions).toEqual({ code: 'FORBIDDEN', scope: 'context:admin' });
    expect(await schemas()).toBe(1);
    expect((await t.post({ query: DELETE_SCHEMA }, keys.admin)).body).toEqual({ data: { deleteExtensionSchema: { deleted: true } } });
    expect(await schemas()).toBe(0);
  });

  it('an unknown API key is UNAUTHENTICATED (401)', async () => {
    const result = await t.post({ query: QUERIES.customer }, { authorization: 'Bearer cgk_not-a-key' });
    expect(result.status).toBe(401);
    expect(result.body.errors?.[0]).toMatchObject({ message: 'unknown API key', extensions: { code: 'UNAUTHENTICATED' } });
  });
});
