// Compiled execution (graphql-jit) must run the operation the request names: its plugin keeps
// one compiled query per document, so a document of several operations stays on graphql-js. So
// does one with fragments, whose fields graphql-jit would move after the others.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../support/gateway.js';

let t: TestGateway;
beforeAll(async () => {
  t = await createTestGateway({ EXTENSIONS_MODE: 'schemaless' });
  await t.ok('mutation { startService(input: { contactKey: "+44" }) { service { serviceId } } }');
});
afterAll(() => t.close());

const DOCUMENT = `query Anonymous { anonymousServices(contactKey: "+44") { totalCount } }
query Schemas { extensionSchemas { name } }`;

describe('compiled execution', () => {
  it('runs the named operation of a document of several, whichever ran before', async () => {
    for (const operationName of ['Anonymous', 'Schemas', 'Anonymous', 'Schemas']) {
      const { body } = await t.post({ query: DOCUMENT, operationName });
      expect(body.errors).toBeUndefined();
      expect(body.data).toEqual(operationName === 'Anonymous' ? { anonymousServices: { totalCount: 1 } } : { extensionSchemas: [] });
    }
  });
});

describe('field order', () => {
  it('keeps a fragment’s fields where the document puts them, as graphql-js and the spec do', async () => {
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
});
