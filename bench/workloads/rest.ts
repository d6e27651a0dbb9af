// R1 and R2: the reference REST API of the gateway doing W1's and W2's work, against the same
// floor statements. R1 is the agent desktop's REST read (a customer's active services with their
// active states and tasks and every extension); R2 is Start Service with W2's two extensions.
// Both draw their requests from W1's and W2's sources, so each answer compares with the floor's.
import { w1 } from './w1.js';
import { w2 } from './w2.js';
import { type Exchange, graphqlExchange, type Variables, type WorkloadDeclaration } from './workload.js';

const BASE = '/genesys/1/cs';

type Row = Record<string, any>;

/** The fields of the REST answer that are not extensions. */
const REST_FIELDS = new Set([
  'service_id',
  'customer_id',
  'contact_key',
  'service_type',
  'state_type',
  'task_type',
  'state_id',
  'task_id',
  'previous_state_id',
  'est_duration',
  'duration',
  'disposition',
  'disposition_desc',
  'started',
  'completed',
  'active_states',
  'active_tasks',
]);

const typeValue = (value: { id: number | null; name: string | null } | null) => (value ? (value.id ?? value.name) : undefined);
const byStart = (a: Row, b: Row) => a.started.localeCompare(b.started) || Number(a.id) - Number(b.id);

/** R1's canonical answer, the same from both servers: the tree of ids, types, start times and extensions. */
interface Node {
  id: string;
  type: unknown;
  started: string;
  extensions: Row;
  state?: string;
  est?: number;
  states?: Node[];
  tasks?: Node[];
}

function fromRest(item: Row, id: string, type: string): Node {
  const extensions: Row = {};
  for (const [key, value] of Object.entries(item)) if (!REST_FIELDS.has(key)) extensions[key] = value;
  return { id: String(item[id]), type: item[type], started: item.started.timestamp, extensions };
}

function restTree(services: Row[]): Node[] {
  return services.map((s) => ({
    ...fromRest(s, 'service_id', 'service_type'),
    est: s.est_duration,
    states: s.active_states.map((st: Row) => fromRest(st, 'state_id', 'state_type')),
    tasks: s.active_tasks.map((t: Row) => ({ ...fromRest(t, 'task_id', 'task_type'), state: String(t.state_id) })),
  }));
}

const fromGraphql = (item: Row, id: string, type: string): Node => ({
  id: item[id],
  type: typeValue(item[type]),
  started: item.started.timestamp,
  extensions: item.extensions,
});

/** The floor's W1 answer in R1's form: a service's tasks are those of its states, oldest first. */
function floorTree(data: Row): Node[] {
  return (data.customer?.services.nodes ?? []).map((s: Row) => ({
    ...fromGraphql(s, 'serviceId', 'serviceType'),
    est: s.estDuration ?? undefined,
    states: s.states.nodes.map((st: Row) => fromGraphql(st, 'stateId', 'stateType')),
    tasks: s.states.nodes
      .flatMap((st: Row) => st.tasks.nodes.map((t: Row) => ({ ...fromGraphql(t, 'taskId', 'taskType'), state: st.stateId })))
      .sort(byStart),
  }));
}

/** The floor, asked at W1's or W2's path, its answer read in an R workload's form. */
const floorAt = (path: string, read: (data: Row) => unknown): Exchange => ({
  ...graphqlExchange('', path),
  read: (body) => read(JSON.parse(body).data),
});

export const r1: WorkloadDeclaration = {
  name: 'R1',
  create: (dataset) => {
    const read = w1.create(dataset);
    return {
      name: 'R1',
      description: `REST: GET ${BASE}/customers/{id}/services/active?active_states=true&active_tasks=true&extensions=* (W1's work)`,
      exchange: {
        request: ({ customerId }: Variables) => ({
          method: 'GET',
          path: `${BASE}/customers/${encodeURIComponent(String(customerId))}/services/active?active_states=true&active_tasks=true&extensions=*`,
        }),
        ok: (status) => status === 200,
        read: (body) => restTree(JSON.parse(body)),
      },
      floor: floorAt('/w1', floorTree),
      volatile: [],
      source: read.source,
    };
  },
};

export const r2: WorkloadDeclaration = {
  name: 'R2',
  create: (dataset) => {
    const start = w2.create(dataset);
    return {
      name: 'R2',
      description: `REST: POST ${BASE}/services/start with W2's customer, type, interaction and two extensions (W2's work)`,
      exchange: {
        request: ({ input }: Variables) => {
          const { customerId, serviceType, interactionId, extensions } = input as Row;
          return {
            method: 'POST',
            path: `${BASE}/services/start`,
            body: JSON.stringify({ customer_id: customerId, service_type: serviceType, interaction_id: interactionId, ...extensions }),
            headers: { 'content-type': 'application/json' },
          };
        },
        ok: (status) => status === 201,
        read: (body) => JSON.parse(body),
      },
      floor: floorAt('/w2', (data) => ({ service_id: Number(data.startService.service.serviceId) })),
      volatile: ['service_id'],
      source: start.source,
    };
  },
};
