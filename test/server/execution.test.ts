// Execution as the spec has it, on either path: the operation the request names runs, whatever
// ran before from the same document; response keys stay in the order of the selection,
// fragments, @skip and @include included; a non-null variable omitted takes its default.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../support/gateway.js';

let t: TestGateway;
/** The same database without the JSON-text path: every operation goes through the executor. */
let executor: TestGateway;
beforeAll(async () => {
  t = await createTestGateway({ EXTENSIONS_MODE: 'schemaless' });
  executor = await createTestGateway({ EXTENSIONS_MODE: 'schemaless', SQL_JSON_RESPONSES: 'false' }, t.databaseUrl);
  await t.ok('mutation { startService(input: { contactKey: "+44" }) { service { serviceId } } }');
});
afterAll(async () => {
  await executor.close();
  await t.close();
});

const DOCUMENT = `query Anonymous { anonymousServices(contactKey: "+44") { totalCount } }
query Schemas { extensionSchemas { name } }`;

describe('operations', () => {
  it('runs the named operation of a document of several, whichever ran before', async () => {
    for (const operationName of ['Anonymous', 'Schemas', 'Anonymous', 'Schemas']) {
      const { body } = await t.post({ query: DOCUMENT, operationName });
      expect(body.errors).toBeUndefined();
      expect(body.data).toEqual(operationName === 'Anonymous' ? { anonymousServices: { totalCount: 1 } } : { extensionSchemas: [] });
    }
  });
});

describe('field order', () => {
  it('keeps a fragment’s fields where the document puts them', async () => {
    await t.sql(`INSERT INTO customer (customer_id) VALUES ('order-1') ON CONFLICT DO NOTHING`);
    const id = Buffer.from('Customer:order-1').toString('base64');
    for (const query of [
      `{ node(id: "${id}") { ... on Customer { customerId } id __typename } }`,
      `{ node(id: "${id}") { ...C id __typename } } fragment C on Customer { customerId }`,
    ]) {
      const response = await t.gateway.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      });
      expect(await response.text()).toBe(`{"data":{"node":{"customerId":"order-1","id":"${id}","__typename":"Customer"}}}`);
    }
  });

  it('puts a field skipped, then selected again, where the spec collects it', async () => {
    await t.sql(`INSERT INTO customer (customer_id) VALUES ('order-2') ON CONFLICT DO NOTHING`);
    for (const gateway of [t, executor]) {
      const response = await gateway.gateway.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: `query($s: Boolean = true) { customer(customerId: "order-2") { customerId @skip(if: $s) attributes customerId } }`,
        }),
      });
      // Re-serialised: PostgreSQL's JSON text spaces its keys apart.
      expect(JSON.stringify(await response.json())).toBe('{"data":{"customer":{"attributes":{},"customerId":"order-2"}}}');
    }
  });
});

describe('variables', () => {
  it('gives an omitted non-null variable its default', async () => {
    for (const gateway of [t, executor]) {
      const { body } = await gateway.post({
        query: `query($k: String! = "+44", $first: Int! = 1) { anonymousServices(contactKey: $k, first: $first) { totalCount } }`,
      });
      expect(body).toEqual({ data: { anonymousServices: { totalCount: 1 } } });
    }
  });
});
