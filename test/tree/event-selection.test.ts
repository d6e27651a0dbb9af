// Events (started, completed) are built by PostgreSQL with only the subfields the client
// selected, merged over aliases and fragments, so a tree of start times does not carry every
// session id along.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../support/gateway.js';

let t: TestGateway;
let serviceId: string;
beforeAll(async () => {
  t = await createTestGateway({ EXTENSIONS_MODE: 'schemaless' });
  serviceId = (
    await t.ok(`mutation { startService(input: {
      customerId: "events", sessionId: "S1", interactionId: "I1", mediaType: "voice", timestamp: "2026-03-01T10:00:00Z"
    }) { service { serviceId } } }`)
  ).startService.service.serviceId;
  await t.ok(
    `mutation($s: ID!) { completeService(input: { serviceId: $s, interactionId: "I2", timestamp: "2026-03-01T10:05:00Z" }) { service { serviceId } } }`,
    {
      s: serviceId,
    },
  );
});
afterAll(() => t.close());

it('answers each alias and fragment with its own subfields', async () => {
  const query = /* GraphQL */ `
    query($s: ID!) {
      service(serviceId: $s) {
        started { timestamp }
        again: started { sessionId ...Media }
        completed { interactionId timestamp __typename }
      }
    }
    fragment Media on Event { mediaType { name } }
  `;
  let data: any;
  const [statement] = await t.recordQueries(async () => {
    data = await t.ok(query, { s: serviceId });
  });
  expect(data.service).toEqual({
    started: { timestamp: '2026-03-01T10:00:00.000Z' },
    again: { sessionId: 'S1', mediaType: { name: 'voice' } },
    completed: { interactionId: 'I2', timestamp: '2026-03-01T10:05:00.000Z', __typename: 'Event' },
  });
  // Only what was selected is asked of PostgreSQL.
  expect(statement).toMatch(/'sessionId'/);
  expect(statement).not.toMatch(/'interactionId', \w+\.started/);
});
