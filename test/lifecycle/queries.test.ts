// Lists: status, type and start-time filters, Relay pagination with a stable order and bounds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../support/gateway.js';
import { COMPLETE_SERVICE, START_SERVICE } from '../support/operations.js';

let t: TestGateway;
const ids: string[] = [];
beforeAll(async () => {
  t = await createTestGateway({ EXTENSIONS_MODE: 'schemaless' });
  // Seven services of one customer, one per hour, two sharing the same start time (tie on id).
  const times = ['T01', 'T02', 'T02', 'T03', 'T04', 'T05', 'T06'].map((h) => `2026-07-01${h}:00:00.000Z`);
  for (const [i, timestamp] of times.entries()) {
    const input = { customerId: 'Q1', timestamp, serviceType: i % 2 ? 'hotel' : 2001 };
    ids.push((await t.ok(START_SERVICE, { input })).startService.service.serviceId);
  }
  await t.ok(COMPLETE_SERVICE, { input: { serviceId: ids[0], timestamp: '2026-07-02T00:00:00Z' } });
  await t.ok(COMPLETE_SERVICE, { input: { serviceId: ids[3], timestamp: '2026-07-02T00:00:00Z' } });
});
afterAll(() => t.close());

const LIST = /* GraphQL */ `
  query($status: Status, $types: [AttributeRef!], $from: DateTime, $to: DateTime, $first: Int, $after: String) {
    customer(customerId: "Q1") {
      services(status: $status, serviceTypes: $types, startedFrom: $from, startedTo: $to, first: $first, after: $after) {
        totalCount
        edges { cursor node { serviceId } }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      }
    }
  }
`;

async function list(variables: Record<string, unknown>) {
  const services = (await t.ok(LIST, variables)).customer.services;
  return { ...services, ids: services.edges.map((e: { node: { serviceId: string } }) => e.node.serviceId) };
}

describe('service lists', () => {
  it('orders by start time then id', async () => {
    expect((await list({})).ids).toEqual(ids);
  });

  it('filters by status', async () => {
    expect((await list({ status: 'COMPLETED' })).ids).toEqual([ids[0], ids[3]]);
    const active = await list({ status: 'ACTIVE' });
    expect(active.ids).toEqual([ids[1], ids[2], ids[4], ids[5], ids[6]]);
    expect(active.totalCount).toBe(5);
  });

  it('filters by type id or name', async () => {
    expect((await list({ types: [2001] })).ids).toEqual([ids[0], ids[2], ids[4], ids[6]]);
    expect((await list({ types: ['hotel'] })).ids).toEqual([ids[1], ids[3], ids[5]]);
    expect((await list({ types: ['hotel', 2001] })).totalCount).toBe(7);
  });

  it('treats startedFrom as inclusive and startedTo as exclusive', async () => {
    const window = await list({ from: '2026-07-01T02:00:00Z', to: '2026-07-01T04:00:00Z' });
    expect(window.ids).toEqual([ids[1], ids[2], ids[3]]);
  });

  it('pages with cursors, across a tie on start time, without gaps or repeats', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page = await list({ first: 2, after });
      expect(page.totalCount).toBe(7);
      expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
      seen.push(...page.ids);
      pages++;
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(pages).toBe(4);
    expect(seen).toEqual(ids);
  });

  it('keeps the next page stable when an item is inserted before the cursor', async () => {
    const first = await list({ first: 3 });
    const extra = (await t.ok(START_SERVICE, { input: { customerId: 'Q1', timestamp: '2026-07-01T00:30:00Z' } })).startService.service;
    const next = await list({ first: 3, after: first.pageInfo.endCursor });
    expect(next.ids).toEqual([ids[3], ids[4], ids[5]]);
    await t.sql('DELETE FROM service WHERE service_id = $1', [extra.serviceId]);
  });

  it('defaults to 50, allows 500 and rejects more, negatives and bad cursors', async () => {
    expect((await list({ first: 500 })).ids).toHaveLength(7);
    expect((await list({ first: 0 })).ids).toEqual([]);
    for (const variables of [{ first: 501 }, { first: -1 }]) {
      const error = (await t.gql(LIST, variables)).errors![0];
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    }
    const error = (await t.gql(LIST, { after: 'bm90IGEgY3Vyc29y' })).errors![0];
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('pages nested lists on their own', async () => {
    const parent = ids[1];
    for (let i = 0; i < 3; i++) {
      await t.ok(`mutation($s: ID!) { startState(input: { serviceId: $s }) { state { stateId } } }`, { s: parent });
    }
    const read = await t.ok(
      `query($id: ID!) { service(serviceId: $id) { states(first: 2) { totalCount pageInfo { hasNextPage endCursor } nodes { stateId } } } }`,
      { id: parent },
    );
    expect(read.service.states).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true } });
    expect(read.service.states.nodes).toHaveLength(2);
  });
});

describe('anonymous services', () => {
  it('lists only services with that contact key and no customer', async () => {
    const key = 'anon-list';
    const a = (await t.ok(START_SERVICE, { input: { contactKey: key } })).startService.service.serviceId;
    await t.ok(START_SERVICE, { input: { contactKey: key, customerId: 'someone' } });
    await t.ok(START_SERVICE, { input: { contactKey: 'other-key' } });
    const read = await t.ok(`query($k: String!) { anonymousServices(contactKey: $k) { totalCount nodes { serviceId anonymous } } }`, {
      k: key,
    });
    expect(read.anonymousServices).toEqual({ totalCount: 1, nodes: [{ serviceId: a, anonymous: true }] });
  });
});
