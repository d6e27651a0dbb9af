import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../support/gateway.js';

let t: TestGateway;
beforeAll(async () => {
  t = await createTestGateway({ EXTENSIONS_MODE: 'schemaless' });
});
afterAll(() => t.close());

const START = /* GraphQL */ `
  mutation Start($input: StartServiceInput!) {
    startService(input: $input) {
      service { id serviceId customerId contactKey anonymous status duration started { timestamp sessionId } extensions }
    }
  }
`;

describe('startService -> service', () => {
  it('starts a service for a customer and reads it back by id and by node', async () => {
    const data = await t.ok(START, {
      input: { customerId: 'C1', timestamp: '2026-01-02T03:04:05Z', sessionId: 's-1', extensions: { coupon: { code: 'X' } } },
    });
    const service = data.startService.service;
    expect(service).toMatchObject({
      customerId: 'C1',
      anonymous: false,
      status: 'ACTIVE',
      duration: null,
      started: { timestamp: '2026-01-02T03:04:05.000Z', sessionId: 's-1' },
      extensions: { coupon: { code: 'X' } },
    });
    expect(service.serviceId).toMatch(/^\d+$/);

    const read = await t.ok(`query($id: ID!) { service(serviceId: $id) { serviceId customer { customerId } } }`, { id: service.serviceId });
    expect(read.service).toEqual({ serviceId: service.serviceId, customer: { customerId: 'C1' } });

    const node = await t.ok(`query($id: ID!) { node(id: $id) { id ... on Service { serviceId } } }`, { id: service.id });
    expect(node.node).toEqual({ id: service.id, serviceId: service.serviceId });
  });

  it('rejects a service with neither customerId nor contactKey and writes nothing', async () => {
    const before = await t.sql('SELECT count(*)::int AS n FROM service');
    const result = await t.gql(START, { input: { serviceType: 'x' } });
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.customerId' });
    expect(await t.sql('SELECT count(*)::int AS n FROM service')).toEqual(before);
  });

  it('returns null for an unknown service', async () => {
    expect(await t.ok(`{ service(serviceId: "999999") { serviceId } }`)).toEqual({ service: null });
  });
});
