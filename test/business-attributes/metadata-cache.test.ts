// Mappings are cached per process and dropped on NOTIFY: a change made through one gateway is
// seen by another gateway on the same database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { type Database, openDatabase } from '../../src/db/database.js';
import { createLogger } from '../../src/logger.js';
import { createGateway } from '../../src/server/yoga.js';
import { createTestGateway, type TestGateway } from '../support/gateway.js';

const DEFINE = `mutation($input: DefineBusinessAttributeInput!) { defineBusinessAttribute(input: $input) { businessAttribute { name } } }`;
const START = `mutation($type: AttributeRef) { startService(input: { customerId: "cache", serviceType: $type }) { service { serviceType { id name } } } }`;

let a: TestGateway;
let otherDb: Database;
let b: ReturnType<typeof createGateway>;

async function startOnB(type: string | number) {
  const response = await b.fetch('http://gateway.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: START, variables: { type } }),
  });
  return (await response.json()) as { data?: any; errors?: any[] };
}

beforeAll(async () => {
  a = await createTestGateway();
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: a.databaseUrl });
  otherDb = await openDatabase(config, createLogger('silent'));
  b = createGateway({ db: otherDb, config, logger: createLogger('silent') });
});
afterAll(async () => {
  await otherDb.close();
  await a.close();
});

describe('business attribute mappings cache', () => {
  it('is dropped when another gateway notifies a change', async () => {
    await a.ok(DEFINE, { input: { name: 'ServiceType', fields: ['Service.serviceType'], values: [{ id: 1, name: 'hotel' }] } });
    expect((await startOnB('hotel')).data.startService.service.serviceType).toEqual({ id: 1, name: 'hotel' });
    expect((await startOnB('flight')).errors?.[0].extensions.code).toBe('BAD_USER_INPUT');

    // Another gateway process changes the values: here plain SQL plus the notification it sends,
    // so nothing in this process drops the cache but the notification itself.
    await a.sql(`UPDATE business_attribute_value SET value_id = 2, name = 'flight' WHERE name = 'hotel'`);
    await a.sql(`SELECT pg_notify('context_metadata', '')`);
    // The notification crosses a connection: give it a moment, then B must see the new values.
    let result = await startOnB('flight');
    for (let i = 0; i < 20 && result.errors; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      result = await startOnB('flight');
    }
    expect(result.data.startService.service.serviceType).toEqual({ id: 2, name: 'flight' });
    expect((await startOnB('hotel')).errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('is seen at once by the gateway that made the change', async () => {
    await a.ok(DEFINE, { input: { name: 'ServiceType', values: [{ id: 3, name: 'car' }] } });
    const data = await a.ok(START, { type: 'car' });
    expect(data.startService.service.serviceType).toEqual({ id: 3, name: 'car' });
  });
});
