// What the output types cannot hold is refused at input, and every malformed argument is
// BAD_USER_INPUT naming it, with the error's path at the field that took it: the same answer
// from the JSON-text path and from the executor (a second gateway over the same database), and
// nothing written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type GraphQLResponse, type TestGateway } from '../support/gateway.js';
import { COUNT_ROWS } from '../support/operations.js';

let served: TestGateway;
let executed: TestGateway;

beforeAll(async () => {
  served = await createTestGateway({ EXTENSIONS_MODE: 'schemaless' });
  executed = await createTestGateway({ EXTENSIONS_MODE: 'schemaless', SQL_JSON_RESPONSES: 'false' }, served.databaseUrl);
  for (const timestamp of ['0001-01-01T00:00:00Z', '2026-01-01T10:00:00Z', '2026-01-01T10:00:00Z', '9999-12-31T23:59:59.999Z']) {
    await served.ok(`mutation($t: DateTime) { startService(input: { customerId: "C1", timestamp: $t }) { service { serviceId } } }`, {
      t: timestamp,
    });
  }
});
afterAll(async () => {
  await executed.close();
  await served.close();
});

const withoutRequestIds = (body: GraphQLResponse) => JSON.stringify(body).replace(/"requestId":"[^"]+"/g, '"requestId":"…"');

/** The answer of both gateways, which must be the same byte for byte. */
async function answer(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse> {
  const fromServed = await served.post({ query, variables });
  const fromExecutor = await executed.post({ query, variables });
  expect(withoutRequestIds(fromServed.body)).toBe(withoutRequestIds(fromExecutor.body));
  expect(fromServed.status).toBe(fromExecutor.status);
  return fromServed.body;
}

/** The one error of a refused request, after checking that nothing was written. */
async function refused(query: string, variables?: Record<string, unknown>) {
  const before = await served.sql(COUNT_ROWS);
  const body = await answer(query, variables);
  expect(await served.sql(COUNT_ROWS)).toEqual(before);
  expect(body.errors).toHaveLength(1);
  return body.errors![0];
}

const START = `mutation($input: StartServiceInput!) { startService(input: $input) { service { serviceId started { timestamp applicationType { id } } } } }`;
const cursor = (text: string) => Buffer.from(text).toString('base64url');

describe('values the output types cannot hold', () => {
  it.each([
    ['an unmapped id past 32 bits', { applicationType: 3_000_000_000 }, 'input.applicationType'],
    ['a negative one past 32 bits', { mediaType: -(2 ** 31) - 1 }, 'input.mediaType'],
    ['a start after year 9999 once in UTC', { timestamp: '9999-12-31T23:59:59-05:00' }, 'input.timestamp'],
    ['a start in year 0', { timestamp: '0000-06-01T00:00:00Z' }, 'input.timestamp'],
  ])('refuse %s, in variables and in literals', async (_name, fields, field) => {
    const error = await refused(START, { input: { customerId: 'C2', ...fields } });
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    const [key, value] = Object.entries(fields)[0];
    const literal = await refused(
      `mutation { startService(input: { customerId: "C2", ${key}: ${JSON.stringify(value)} }) { service { serviceId } } }`,
    );
    expect(literal.extensions).toEqual({ code: 'BAD_USER_INPUT', field });
    expect(literal.message).toBe(error.message);
    expect(literal.locations).toHaveLength(1);
  });

  it('accept the bounds themselves', async () => {
    const data = await served.ok(START, {
      input: { customerId: 'C2', applicationType: 2 ** 31 - 1, timestamp: '9999-12-31T18:59:59.999-05:00' },
    });
    expect(data.startService.service.started).toEqual({ timestamp: '9999-12-31T23:59:59.999Z', applicationType: { id: 2 ** 31 - 1 } });
    await answer(`query { customer(customerId: "C2") { services { nodes { started { timestamp applicationType { id name } } } } } }`);
  });

  it.each([
    ['a NUL in a customer id', { customerId: 'C\u0000' }, 'input.customerId'],
    ['a lone surrogate in a session id', { customerId: 'C2', sessionId: 'a\ud800' }, 'input.sessionId'],
    ['a NUL in an extension value', { customerId: 'C2', extensions: { note: { text: 'a\u0000' } } }, 'input.extensions.note.text'],
    ['a lone surrogate in an extension name', { customerId: 'C2', extensions: { 'n\udc00': {} } }, 'input.extensions'],
    ['a NUL in a business value name', { customerId: 'C2', serviceType: '\u0000' }, 'input.serviceType'],
  ])('refuse %s', async (_name, input, field) => {
    const error = await refused(START, { input });
    expect(error).toMatchObject({ path: ['startService'], extensions: { code: 'BAD_USER_INPUT', field } });
  });

  it('refuse a number JSON cannot write back', async () => {
    const body = `{"query":"mutation($v: JSON!) { updateExtension(input: { owner: CUSTOMER, ownerId: \\"C1\\", name: \\"n\\", value: $v }) { extensions } }","variables":{"v":{"x":1e400}}}`;
    const response = await served.gateway.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const { errors } = (await response.json()) as GraphQLResponse;
    expect(errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.value.x' });
  });

  it('refuse a NUL in the attributes identify matches', async () => {
    const error = await refused(`query($a: JSONObject!) { identifyCustomers(attributes: $a) { customerId } }`, { a: { Phone: '1\u0000' } });
    expect(error).toMatchObject({ path: ['identifyCustomers'], extensions: { code: 'BAD_USER_INPUT', field: 'attributes.Phone' } });
  });
});

describe('malformed arguments of reads', () => {
  it.each([
    ['customer', `query($v: String!) { customer(customerId: $v) { customerId } }`, 'customerId'],
    ['anonymousServices', `query($v: String!) { anonymousServices(contactKey: $v) { totalCount } }`, 'contactKey'],
  ])('a NUL given to %s is BAD_USER_INPUT at that field', async (root, query, field) => {
    const error = await refused(query, { v: 'a\u0000' });
    expect(error).toMatchObject({ path: [root], extensions: { code: 'BAD_USER_INPUT', field } });
  });

  const SERVICES = `query($first: Int, $after: String) { customer(customerId: "C1") { customerId services(first: $first, after: $after) { totalCount } } }`;
  it.each([
    ['a page size over 500', { first: 501 }, 'first'],
    ['a negative page size', { first: -1 }, 'first'],
    ['a cursor whose id passes 64 bits', { after: cursor('2026-01-01T10:00:00.000Z|9223372036854775808') }, 'after'],
    ['a cursor whose time PostgreSQL cannot read', { after: cursor('2026-02-30T10:00:00.000Z|5') }, 'after'],
    ['a cursor whose time is no timestamp', { after: cursor('1|5') }, 'after'],
    ['a cursor of year 0', { after: cursor('0000-01-01T00:00:00.000Z|5') }, 'after'],
    ['no cursor at all', { after: 'nope' }, 'after'],
  ])('%s is BAD_USER_INPUT at the connection, even one selecting only totalCount', async (_name, variables, field) => {
    const body = await answer(SERVICES, variables);
    expect(body.data).toEqual({ customer: null });
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]).toMatchObject({ path: ['customer', 'services'], extensions: { code: 'BAD_USER_INPUT', field } });
  });

  it('report a bad argument deeper down at its own path', async () => {
    const body = await answer(
      `{ customer(customerId: "C1") { services(first: 1) { nodes { serviceId states(first: 501) { totalCount } } } } }`,
    );
    expect(body.errors?.[0]).toMatchObject({ path: ['customer', 'services', 'nodes', 0, 'states'], extensions: { field: 'first' } });
    const root = await answer(`{ anonymousServices(contactKey: "k", after: "nope") { totalCount } }`);
    expect(root.errors?.[0]).toMatchObject({ path: ['anonymousServices'], extensions: { field: 'after' } });
  });

  it('accept back every cursor either path returns, from year 0001 to 9999', async () => {
    const PAGE = `query($after: String) { customer(customerId: "C1") { services(first: 1, after: $after) {
      pageInfo { endCursor hasNextPage } edges { cursor node { serviceId started { timestamp } } } } } }`;
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const body = await answer(PAGE, { after });
      expect(body.errors).toBeUndefined();
      const { pageInfo, edges } = body.data.customer.services;
      expect(edges[0].cursor).toBe(pageInfo.endCursor);
      seen.push(edges[0].node.started.timestamp);
      if (!pageInfo.hasNextPage) break;
      after = pageInfo.endCursor;
    }
    expect(seen).toEqual(['0001-01-01T00:00:00.000Z', '2026-01-01T10:00:00.000Z', '2026-01-01T10:00:00.000Z', '9999-12-31T23:59:59.999Z']);
  });
});
