// Compiled execution (graphql-jit) must run the operation the request names: its plugin keeps
// one compiled query per document, so a document of several operations stays on graphql-js.
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
