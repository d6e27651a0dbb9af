// The client libraries frontends use, unmodified and with their default settings, against the
// gateway in-process: Apollo Client (normalised cache, so `__typename` in every selection, and
// its Automatic Persisted Queries link) and urql (document cache and its persisted exchange).
// Each must get the agent-desktop read, a mutation and APQ through the default limits.
import { createHash } from 'node:crypto';
import { ApolloClient, gql, HttpLink, InMemoryCache } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { Client, cacheExchange, fetchExchange } from '@urql/core';
import { persistedExchange } from '@urql/exchange-persisted';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../support/gateway.js';
import { AGENT_DESKTOP } from '../support/operations.js';

const ENDPOINT = 'http://gateway.test/graphql';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const START_SERVICE = /* GraphQL */ `
  mutation StartService($input: StartServiceInput!) {
    startService(input: $input) { service { id serviceId customerId status } }
  }
`;

let t: TestGateway;
/** Documents the gateway received, as sent: the query text, or none when only a hash came. */
const received: { query?: string; hash?: string }[] = [];
const fetchThroughGateway: typeof fetch = async (input, init) => {
  const body = typeof init?.body === 'string' ? JSON.parse(init.body) : {};
  const url = String(input instanceof Request ? input.url : input);
  const { searchParams } = new URL(url);
  const extensions = body.extensions ?? JSON.parse(searchParams.get('extensions') ?? '{}');
  received.push({ query: body.query ?? searchParams.get('query') ?? undefined, hash: extensions.persistedQuery?.sha256Hash });
  return t.gateway.fetch(url, init ?? {});
};

beforeAll(async () => {
  t = await createTestGateway();
  // A customer with 50 services, each with a state holding a task: every page of the read is used.
  for (let i = 0; i < 50; i++) {
    const { serviceId } = (await t.ok('mutation { startService(input: { customerId: "C1" }) { service { serviceId } } }')).startService
      .service;
    const { stateId } = (await t.ok(`mutation { startState(input: { serviceId: "${serviceId}" }) { state { stateId } } }`)).startState
      .state;
    await t.ok(`mutation { startTask(input: { serviceId: "${serviceId}", stateId: "${stateId}" }) { task { taskId } } }`);
  }
});
afterAll(() => t.close());

function expectFullTree(customer: any): void {
  expect(customer.services.totalCount).toBe(50);
  expect(customer.services.edges).toHaveLength(50);
  expect(customer.services.edges[0].node.states.nodes[0].tasks.nodes).toHaveLength(1);
}

describe('Apollo Client', () => {
  const apollo = (link: PersistedQueryLink | undefined) =>
    new ApolloClient({
      cache: new InMemoryCache(),
      link: link
        ? link.concat(new HttpLink({ uri: ENDPOINT, fetch: fetchThroughGateway }))
        : new HttpLink({ uri: ENDPOINT, fetch: fetchThroughGateway }),
    });

  it('reads the agent-desktop tree, __typename everywhere, within the cost limit', async () => {
    const client = apollo(undefined);
    const { data, error } = await client.query({ query: gql(AGENT_DESKTOP), variables: { c: 'C1', services: 50 } });
    expect(error).toBeUndefined();
    expect((data as any).customer.__typename).toBe('Customer');
    expectFullTree((data as any).customer);
  });

  it('runs a mutation', async () => {
    const client = apollo(undefined);
    const { data } = await client.mutate({ mutation: gql(START_SERVICE), variables: { input: { customerId: 'C2' } } });
    expect((data as any).startService.service).toMatchObject({ __typename: 'Service', customerId: 'C2', status: 'ACTIVE' });
  });

  it('registers the read through APQ, then sends its hash alone', async () => {
    const link = new PersistedQueryLink({ sha256 });
    const first = apollo(link);
    received.length = 0;
    const { data } = await first.query({ query: gql(AGENT_DESKTOP), variables: { c: 'C1', services: 50 } });
    expectFullTree((data as any).customer);
    // The hash alone (unknown yet), then the document with its hash.
    expect(received.map((r) => [Boolean(r.query), Boolean(r.hash)])).toEqual([
      [false, true],
      [true, true],
    ]);
    received.length = 0;
    const second = apollo(new PersistedQueryLink({ sha256, useGETForHashedQueries: true }));
    const again = await second.query({ query: gql(AGENT_DESKTOP), variables: { c: 'C1', services: 50 } });
    expectFullTree((again.data as any).customer);
    expect(received.map((r) => [Boolean(r.query), Boolean(r.hash)])).toEqual([[false, true]]);
  });
});

describe('urql', () => {
  const urql = (persisted: boolean) =>
    new Client({
      url: ENDPOINT,
      fetch: fetchThroughGateway,
      exchanges: persisted
        ? [cacheExchange, persistedExchange({ generateHash: async (query) => sha256(query) }), fetchExchange]
        : [cacheExchange, fetchExchange],
    });

  it('reads the agent-desktop tree, __typename everywhere, within the cost limit', async () => {
    const { data, error } = await urql(false).query(AGENT_DESKTOP, { c: 'C1', services: 50 }).toPromise();
    expect(error).toBeUndefined();
    expect(data.customer.__typename).toBe('Customer');
    expectFullTree(data.customer);
  });

  it('runs a mutation', async () => {
    const { data, error } = await urql(false)
      .mutation(START_SERVICE, { input: { customerId: 'C3' } })
      .toPromise();
    expect(error).toBeUndefined();
    expect(data.startService.service).toMatchObject({ __typename: 'Service', customerId: 'C3', status: 'ACTIVE' });
  });

  it('registers the read through APQ, then sends its hash alone', async () => {
    // Named apart from Apollo's, which the gateway already knows with urql's own printing.
    const document = AGENT_DESKTOP.replace('AgentDesktop', 'AgentDesktopUrql');
    received.length = 0;
    const { data, error } = await urql(true).query(document, { c: 'C1', services: 50 }).toPromise();
    expect(error).toBeUndefined();
    expectFullTree(data.customer);
    expect(received.map((r) => [Boolean(r.query), Boolean(r.hash)])).toEqual([
      [false, true],
      [true, true],
    ]);
    received.length = 0;
    const again = await urql(true).query(document, { c: 'C1', services: 50 }).toPromise();
    expectFullTree(again.data.customer);
    expect(received.map((r) => [Boolean(r.query), Boolean(r.hash)])).toEqual([[false, true]]);
  });
});
