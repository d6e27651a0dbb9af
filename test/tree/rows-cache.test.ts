// Root lookups reuse the SQL built for a field of a cached document (tree/rows-cache.ts): the
// same document must still answer each request from its own variables, wherever they are used.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../support/gateway.js';

let t: TestGateway;
let ids: { service: string; state: string; completedState: string };
beforeAll(async () => {
  t = await createTestGateway({ EXTENSIONS_MODE: 'schemaless' });
  const service = (
    await t.ok(`mutation { startService(input: { customerId: "cached", extensions: { a: { n: 1 } } }) { service { serviceId id } } }`)
  ).startService.service;
  const start = async () =>
    (await t.ok(`mutation($s: ID!) { startState(input: { serviceId: $s }) { state { stateId id } } }`, { s: service.serviceId })).startState
      .state;
  const done = await start();
  await t.ok(`mutation($s: ID!) { completeState(input: { stateId: $s }) { state { stateId } } }`, { s: done.stateId });
  const open = await start();
  ids = { service: service.serviceId, state: open.stateId, completedState: done.stateId };
  Object.assign(ids, { serviceNode: service.id, stateNode: open.id });
});
afterAll(() => t.close());

const CUSTOMER = /* GraphQL */ `
  query($c: String!, $status: Status, $withExtensions: Boolean!, $first: Int) {
    customer(customerId: $c) {
      customerId
      services {
        nodes {
          serviceId
          extensions @include(if: $withExtensions)
          states(status: $status, first: $first) { nodes { ...StateId } }
        }
      }
    }
  }
  fragment StateId on State { stateId status }
`;

it('answers each request from its own variables, in arguments, directives and fragments', async () => {
  const states = async (variables: Record<string, unknown>) => (await t.ok(CUSTOMER, { c: 'cached', ...variables })).customer;
  const open = { stateId: ids.state, status: 'ACTIVE' };
  const completed = { stateId: ids.completedState, status: 'COMPLETED' };
  for (let round = 0; round < 2; round++) {
    expect(await states({ status: 'ACTIVE', withExtensions: true })).toEqual({
      customerId: 'cached',
      services: { nodes: [{ serviceId: ids.service, extensions: { a: { n: 1 } }, states: { nodes: [open] } }] },
    });
    expect(await states({ status: 'COMPLETED', withExtensions: false })).toEqual({
      customerId: 'cached',
      services: { nodes: [{ serviceId: ids.service, states: { nodes: [completed] } }] },
    });
    expect((await states({ withExtensions: false, first: 1 })).services.nodes[0].states.nodes).toEqual([completed]);
    expect(await t.ok(CUSTOMER, { c: 'nobody', withExtensions: true })).toEqual({ customer: null });
  }
});

it('loads each node type through the same node(id:) field', async () => {
  const NODE = `query($id: ID!) { node(id: $id) { __typename ... on Service { serviceId } ... on State { stateId } } }`;
  const { serviceNode, stateNode } = ids as unknown as Record<string, string>;
  for (let round = 0; round < 2; round++) {
    expect((await t.ok(NODE, { id: serviceNode })).node).toEqual({ __typename: 'Service', serviceId: ids.service });
    expect((await t.ok(NODE, { id: stateNode })).node).toEqual({ __typename: 'State', stateId: ids.state });
  }
});
