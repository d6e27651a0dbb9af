// R1 and R2: the reference REST API of the gateway doing W1's and W2's work, against the same
// floor statements. R1 is the agent desktop's REST read (a customer's active services with their
// active states and tasks and every extension); R2 is Start Service with W2's two extensions.
// Both draw their requests from W1's and W2's sources, so each answer compares with the floor's.
// R1-graphql and R2-graphql send the GraphQL documents those routes run to /graphql: the same work
// without the REST layer, so R / R-graphql is what the REST layer costs.
import type { Route } from '../../src/rest/route.js';
import { ROUTES } from '../../src/rest/routes.js';
import { readTree, treeReply } from '../../src/rest/tree.js';
import { w1 } from './w1.js';
import { w2 } from './w2.js';
import { type Exchange, graphqlExchange, translatedExchange, type Variables, type WorkloadDeclaration } from './workload.js';

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

const R1_PATH = '/customers/{customer_id}/services/active';
const R1_QUERY = { active_states: 'true', active_tasks: 'true', extensions: '*' };

const route = (method: string, path: string) => ROUTES.find((r) => r.method === method && r.path === path) as Route<Row, Row>;

/** R2's REST body for W2's input. */
function startBody(input: Row): Row {
  const { customerId, serviceType, interactionId, extensions } = input;
  return { customer_id: customerId, service_type: serviceType, interaction_id: interactionId, ...extensions };
}

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
          path: `${BASE}${R1_PATH.replace('{customer_id}', encodeURIComponent(String(customerId)))}?${new URLSearchParams(R1_QUERY)}`,
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
        request: ({ input }: Variables) => ({
          method: 'POST',
          path: `${BASE}/services/start`,
          body: JSON.stringify(startBody(input as Row)),
          headers: { 'content-type': 'application/json' },
        }),
        ok: (status) => status === 201,
        read: (body) => JSON.parse(body),
      },
      floor: floorAt('/w2', (data) => ({ service_id: Number(data.startService.service.serviceId) })),
      volatile: ['service_id'],
      source: start.source,
    };
  },
};

export const r1Graphql: WorkloadDeclaration = {
  name: 'R1-graphql',
  create: (dataset) => {
    const read = route('GET', R1_PATH);
    const query = read.query!.parse(R1_QUERY);
    const tree = readTree('Service', query, true);
    const { document } = read.operation({ params: { customer_id: '' }, query, body: {} });
    return {
      name: 'R1-graphql',
      description: "R1's GraphQL document over /graphql: R1's work without the REST layer",
      exchange: translatedExchange(
        document,
        ({ customerId }) => ({ id: customerId }),
        (data) => restTree((data.customer?.services.nodes ?? []).map((row: Row) => treeReply(row, tree, false))),
      ),
      document,
      floor: floorAt('/w1', floorTree),
      volatile: [],
      source: w1.create(dataset).source,
    };
  },
};

export const r2Graphql: WorkloadDeclaration = {
  name: 'R2-graphql',
  create: (dataset) => {
    const start = route('POST', '/services/start');
    const call = (input: Row) => start.operation({ params: {}, query: {}, body: start.body!.parse(startBody(input)) });
    const { document } = call({ customerId: '' });
    return {
      name: 'R2-graphql',
      description: "R2's GraphQL document over /graphql: R2's work without the REST layer",
      exchange: translatedExchange(
        document,
        ({ input }) => call(input as Row).variables,
        (data) => ({ service_id: Number(data.startService.service.serviceId) }),
      ),
      document,
      floor: floorAt('/w2', (data) => ({ service_id: Number(data.startService.service.serviceId) })),
      volatile: ['service_id'],
      source: w2.create(dataset).source,
    };
  },
};
