// Style habit 6: the nested agent-desktop read costs one SQL statement whatever the number of
// rows, proven by recording every statement the gateway sends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../support/gateway.js';

let t: TestGateway;
beforeAll(async () => {
  t = await createTestGateway({ EXTENSIONS_MODE: 'schemaless' });
});
afterAll(() => t.close());

const AGENT_DESKTOP = /* GraphQL */ `
  query($c: String!) {
    customer(customerId: $c) {
      customerId attributes extensions
      services(status: ACTIVE) {
        totalCount
        nodes {
          serviceId serviceType { id name } started { timestamp } extensions customer { customerId }
          states(status: ACTIVE) {
            nodes {
              stateId extensions service { serviceId }
              tasks(status: ACTIVE) { edges { cursor node { taskId extensions state { stateId } service { serviceId } } } }
            }
          }
          tasks { totalCount }
        }
      }
    }
  }
`;

async function seed(customerId: string, services: number): Promise<void> {
  for (let s = 0; s < services; s++) {
    const { serviceId } = (
      await t.ok(
        `mutation($c: String!) { startService(input: { customerId: $c, extensions: { coupon: { code: "X" } } }) { service { serviceId } } }`,
        {
          c: customerId,
        },
      )
    ).startService.service;
    for (let st = 0; st < 2; st++) {
      const { stateId } = (await t.ok(`mutation($s: ID!) { startState(input: { serviceId: $s }) { state { stateId } } }`, { s: serviceId }))
        .startState.state;
      for (let k = 0; k < 2; k++) {
        await t.ok(`mutation($s: ID!, $st: ID!) { startTask(input: { serviceId: $s, stateId: $st }) { task { taskId } } }`, {
          s: serviceId,
          st: stateId,
        });
      }
    }
  }
}

describe('nested reads', () => {
  it('answer customer -> services -> states -> tasks (with links back up) in ONE statement, for 1 or 12 services', async () => {
    await seed('small', 1);
    await seed('large', 12);
    for (const [customer, services] of [
      ['small', 1],
      ['large', 12],
    ] as const) {
      let data: any;
      const statements = await t.recordQueries(async () => {
        data = await t.ok(AGENT_DESKTOP, { c: customer });
      });
      expect(statements).toHaveLength(1);
      const list = data.customer.services;
      expect(list.totalCount).toBe(services);
      expect(list.nodes).toHaveLength(services);
      for (const service of list.nodes) {
        expect(service.customer).toEqual({ customerId: customer });
        expect(service.tasks.totalCount).toBe(4);
        expect(service.states.nodes).toHaveLength(2);
        for (const state of service.states.nodes) {
          expect(state.service).toEqual({ serviceId: service.serviceId });
          expect(state.tasks.edges).toHaveLength(2);
          for (const { node } of state.tasks.edges) expect(node.state).toEqual({ stateId: state.stateId });
        }
      }
    }
  });

  it('reads sibling root fields, and both states of a transition, in one statement', async () => {
    const a = (await t.ok(`mutation { startService(input: { customerId: "pair" }) { service { serviceId } } }`)).startService.service;
    const b = (await t.ok(`mutation { startService(input: { customerId: "pair" }) { service { serviceId } } }`)).startService.service;
    let data: any;
    const reads = await t.recordQueries(async () => {
      data = await t.ok(
        `query($a: ID!, $b: ID!) { a: service(serviceId: $a) { serviceId states { totalCount } } b: service(serviceId: $b) { serviceId customer { customerId } } c: customer(customerId: "pair") { services { totalCount } } }`,
        { a: a.serviceId, b: b.serviceId },
      );
    });
    expect(reads).toHaveLength(1);
    expect(data).toEqual({
      a: { serviceId: a.serviceId, states: { totalCount: 0 } },
      b: { serviceId: b.serviceId, customer: { customerId: 'pair' } },
      c: { services: { totalCount: 2 } },
    });

    const startState = async () =>
      (await t.ok(`mutation($s: ID!) { startState(input: { serviceId: $s }) { state { stateId } } }`, { s: a.serviceId })).startState.state
        .stateId;
    const transition = (selection: string) =>
      `mutation($s: ID!, $st: ID!) { transitionState(input: { serviceId: $s, from: { stateId: $st }, to: {} }) { ${selection} } }`;
    const treeReads = (sent: string[]) => sent.filter((sql) => /^\s*SELECT/i.test(sql) && /json_build_object/.test(sql));

    // Flat selections come back from the UPDATE and the INSERT themselves: no read after.
    let from = await startState();
    let result: any;
    let sent = await t.recordQueries(async () => {
      result = await t.ok(transition('completed { stateId status } started { previousStateId status }'), { s: a.serviceId, st: from });
    });
    expect(treeReads(sent)).toHaveLength(0);
    expect(result.transitionState).toEqual({
      completed: { stateId: from, status: 'COMPLETED' },
      started: { previousStateId: from, status: 'ACTIVE' },
    });

    // Nested selections are read after the commit (subqueries in RETURNING would see the tables as
    // they were before the statement), both states in one statement.
    from = await startState();
    sent = await t.recordQueries(async () => {
      result = await t.ok(transition('completed { service { states { totalCount } } } started { service { states { totalCount } } }'), {
        s: a.serviceId,
        st: from,
      });
    });
    expect(treeReads(sent)).toHaveLength(1);
    expect(result.transitionState.completed.service.states.totalCount).toBe(4);
    expect(result.transitionState.started.service.states.totalCount).toBe(4);
  });

  it('reads a mutation result with nested selections in one statement after the write', async () => {
    const statements = await t.recordQueries(() =>
      t.ok(
        `mutation { startService(input: { customerId: "small" }) { service { serviceId states { totalCount } customer { services { totalCount } } } } }`,
      ),
    );
    const reads = statements.filter((s) => /^\s*SELECT/i.test(s) && /json_build_object/.test(s));
    expect(reads).toHaveLength(1);
  });
});
