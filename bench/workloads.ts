// The four workloads of issue 6: what each asks (the GraphQL document, its variables drawn from
// a seeded PRNG) and how the answers of the gateway and the floor are compared.
import { createHash } from 'node:crypto';
import type { ActiveState, Dataset } from './dataset.js';
import { createRandom } from './prng.js';

export type WorkloadName = 'W1' | 'W1-wide' | 'W2' | 'W3';
export const WORKLOADS: WorkloadName[] = ['W1', 'W1-wide', 'W2', 'W3'];

export type Variables = Record<string, unknown>;

/** The variables of successive requests to one server; W3 learns from each answer. */
export interface RequestSource {
  next(): Variables | undefined;
  onData?(data: any): void;
}

export interface Workload {
  name: WorkloadName;
  description: string;
  document: string;
  /** sha256 of the document: its persisted-operation id. */
  hash: string;
  /** The `data` key of the answer. */
  rootField: string;
  floorPath: string;
  /** Fields whose values legitimately differ between two servers (new ids, server time). */
  volatile: string[];
  /** Requests for one round against `target`; the same seed gives the same sequence. */
  source(seed: string, target: Target): RequestSource;
  /** Problems with an answer beyond its shape (e.g. the transition chained the right states). */
  check?(variables: Variables, data: any): string[];
}

export type Target = 'gateway' | 'floor';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

// The contract's fields an agent desktop shows: the tree of active items with their extensions.
const NODE_FIELDS = (id: string, type: string) => `${id} ${type} { id name } status started { timestamp } extensions`;
const W1_DOCUMENT = `query W1($customerId: String!) {
  customer(customerId: $customerId) {
    customerId
    extensions
    services(status: ACTIVE) {
      nodes {
        ${NODE_FIELDS('serviceId', 'serviceType')}
        estDuration
        states(status: ACTIVE) {
          nodes {
            ${NODE_FIELDS('stateId', 'stateType')}
            tasks(status: ACTIVE) {
              nodes { ${NODE_FIELDS('taskId', 'taskType')} }
            }
          }
        }
      }
    }
  }
}`;

const W2_DOCUMENT = `mutation W2($input: StartServiceInput!) {
  startService(input: $input) {
    service { serviceId customerId status serviceType { id name } started { timestamp interactionId } extensions }
  }
}`;

const W3_DOCUMENT = `mutation W3($input: TransitionStateInput!) {
  transitionState(input: $input) {
    completed { stateId serviceId status disposition { id name } }
    started { stateId serviceId previousStateId status stateType { id name } started { interactionId } }
  }
}`;

/** Active states not yet transitioned, one queue per server so neither takes the other's. */
class StateQueue {
  private items: ActiveState[];
  private head = 0;
  constructor(items: ActiveState[]) {
    this.items = items;
  }
  take(): ActiveState | undefined {
    if (this.head === this.items.length) return undefined;
    const item = this.items[this.head++];
    // Drop consumed entries now and then rather than shifting on every request.
    if (this.head > 4_096) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
  put(item: ActiveState): void {
    this.items.push(item);
  }
}

const fixed = (workload: Omit<Workload, 'hash'>): Workload => ({ ...workload, hash: sha256(workload.document) });

export function createWorkloads(dataset: Dataset): Record<WorkloadName, Workload> {
  const pickCustomer =
    (customers: string[]) =>
    (seed: string): RequestSource => {
      const random = createRandom(seed);
      return { next: () => ({ customerId: random.pick(customers) }) };
    };
  const queues: Record<Target, StateQueue> = {
    gateway: new StateQueue(dataset.activeStates.filter((_, i) => i % 2 === 0)),
    floor: new StateQueue(dataset.activeStates.filter((_, i) => i % 2 === 1)),
  };
  return {
    W1: fixed({
      name: 'W1',
      description:
        'customer -> active services -> active states -> active tasks, with extensions, for a random customer with active services',
      document: W1_DOCUMENT,
      rootField: 'customer',
      floorPath: '/w1',
      volatile: [],
      source: pickCustomer(dataset.customersWithActiveServices),
    }),
    'W1-wide': fixed({
      name: 'W1-wide',
      description: `the W1 read for one of the ${dataset.busyCustomers.length} busy customers (${dataset.scale.servicesPerBusy} active services each)`,
      document: W1_DOCUMENT,
      rootField: 'customer',
      floorPath: '/w1',
      volatile: [],
      source: pickCustomer(dataset.busyCustomers),
    }),
    W2: fixed({
      name: 'W2',
      description: 'startService for a random customer with two extensions validated against their schemas',
      document: W2_DOCUMENT,
      rootField: 'startService',
      floorPath: '/w2',
      volatile: ['serviceId', 'timestamp'],
      source(seed) {
        const random = createRandom(seed);
        let n = 0;
        return {
          next: () => ({
            input: {
              customerId: random.pick(dataset.customers),
              serviceType: 'hotel-booking',
              interactionId: `bench-${seed}-${n++}`,
              extensions: {
                satisfaction: { score: random.int(101), agentID: 1000 + random.int(9000) },
                coupon: { coupon_name: `BENCH-${random.int(100_000)}`, discount: 5 * random.int(7) },
              },
            },
          }),
        };
      },
    }),
    W3: fixed({
      name: 'W3',
      description: 'transitionState on an active state (each request a different one; the state it starts feeds a later request)',
      document: W3_DOCUMENT,
      rootField: 'transitionState',
      floorPath: '/w3',
      volatile: ['stateId', 'serviceId', 'previousStateId'],
      source(seed, target) {
        const queue = queues[target];
        let n = 0;
        return {
          next() {
            const state = queue.take();
            if (!state) return undefined;
            return {
              input: {
                serviceId: state.serviceId,
                interactionId: `bench-${seed}-${n++}`,
                from: { stateId: state.stateId, disposition: 'done' },
                to: { stateType: 'propose-offers' },
              },
            };
          },
          onData(data) {
            const started = data?.transitionState?.started;
            if (started?.stateId) queue.put({ serviceId: started.serviceId, stateId: started.stateId });
          },
        };
      },
      check(variables, data) {
        const { input } = variables as { input: { serviceId: string; from: { stateId: string } } };
        const { completed, started } = data.transitionState ?? {};
        const problems: string[] = [];
        if (completed?.stateId !== input.from.stateId)
          problems.push(`completed.stateId ${completed?.stateId} is not from.stateId ${input.from.stateId}`);
        if (started?.previousStateId !== input.from.stateId)
          problems.push(`started.previousStateId ${started?.previousStateId} is not ${input.from.stateId}`);
        if (started?.serviceId !== input.serviceId) problems.push(`started.serviceId ${started?.serviceId} is not ${input.serviceId}`);
        return problems;
      },
    }),
  };
}

/** Object keys sorted and volatile fields masked, so two answers compare as strings. */
export function normalise(value: unknown, volatile: readonly string[]): unknown {
  if (Array.isArray(value)) return value.map((v) => normalise(v, volatile));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    out[key] = volatile.includes(key) && v != null ? `<${key}>` : normalise(v, volatile);
  }
  return out;
}

/** The bodies sent: a full document, a persisted-operation id (APQ protocol), or the floor's. */
export type BodyKind = 'document' | 'persisted';

export const REQUEST_HEADERS = { 'content-type': 'application/json', accept: 'application/graphql-response+json' };

export function requestBody(workload: Workload, variables: Variables, kind: BodyKind): string {
  if (kind === 'persisted') {
    return JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: workload.hash } }, variables });
  }
  return JSON.stringify({ query: workload.document, variables });
}
