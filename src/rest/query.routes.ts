// Operations 10-16 of the inventory: services of a contact key or a customer, states and tasks of
// a service, and one service, state or task by id. Each runs ONE GraphQL query of lookups, which
// the SQL-JSON fast path answers with one statement, nested lists and extensions included.
import { z } from 'zod';
import { notFound, type Route, route } from './route.js';
import {
  type Argument,
  argumentsOf,
  documentFor,
  FLAGS,
  PAGE,
  pageArguments,
  pageReply,
  READ_PARAMETERS,
  type ReadQuery,
  readTree,
  SERVICE_FILTERS,
  type TreeNode,
  treeKey,
  treeReply,
  treeSelection,
  typesOf,
} from './tree.js';
import { id } from './wire.js';

type Status = 'ACTIVE' | 'COMPLETED' | undefined;

const VARIANTS: [suffix: string, status: Status, what: string][] = [
  ['', undefined, 'all'],
  ['/active', 'ACTIVE', 'the active'],
  ['/completed', 'COMPLETED', 'the completed'],
];

/**
 * Page info, asked only of clients that page (`limit` or `after` given): reference clients never
 * read the Link header, and telling whether a next page exists costs PostgreSQL a ranked window.
 */
const pageInfo = (query: ListQuery) =>
  query.limit === undefined && query.after === undefined ? '' : ' pageInfo { hasNextPage endCursor }';
const serviceNodes = z.array(z.record(z.string(), z.unknown())).meta({ description: 'Services, oldest first.' });

interface ListQuery extends ReadQuery {
  limit?: number;
  after?: string;
  service_types?: (number | string)[];
  state_types?: (number | string)[];
  task_types?: (number | string)[];
  started_from?: string;
  started_to?: string;
  state_id?: string;
}

/** `status: X` for a list variant, and the filters and page a request sets. */
function listArguments(status: Status, query: ListQuery, filters: Argument[]) {
  return argumentsOf([...filters, ...pageArguments(query)], status ? [`status: ${status}`] : []);
}

/**
 * A query whose root lookup `root(idArg: $id)` wraps `inner`; `shape` keys the document. The id
 * variable is always `$id`, of `idType`.
 */
function lookupQuery(name: string, shape: string, root: string, idType: string, definitions: string[], inner: () => string): string {
  return documentFor(`${name}:${shape}`, () => {
    const defs = [`$id: ${idType}`, ...definitions].join(', ');
    return `query ${name}(${defs}) { ${root} { ${inner()} } }`;
  });
}

const serviceTypes = (query: ListQuery): Argument[] => [
  ['serviceTypes', 'types', '[AttributeRef!]', query.service_types],
  ['startedFrom', 'from', 'DateTime', query.started_from],
  ['startedTo', 'to', 'DateTime', query.started_to],
];

const SERVICE_LIST_QUERY = z.object({ ...FLAGS, ...READ_PARAMETERS, ...SERVICE_FILTERS, ...PAGE });

function anonymousServices([suffix, status, what]: (typeof VARIANTS)[number]): Route {
  return route({
    method: 'GET',
    path: `/services/anonymous/{contact_key}${suffix}`,
    reference: '10 Query Anonymous Services (CV.WS.SRV.10)',
    summary: `Lists ${what} services started with this contact key that no customer is associated with.`,
    graphql: `anonymousServices(contactKey${status ? `, status: ${status}` : ''})`,
    query: SERVICE_LIST_QUERY,
    operation: ({ params, query }) => {
      const tree = readTree('Service', query, status === 'ACTIVE');
      const args = listArguments(status, query, serviceTypes(query));
      const document = documentFor(`RestAnonymousServices${suffix}:${treeKey(tree)}:${args.key}`, () => {
        const defs = ['$id: String!', ...args.definitions].join(', ');
        const listArgs = ['contactKey: $id', args.text].filter(Boolean).join(', ');
        return `query RestAnonymousServices(${defs}) { anonymousServices(${listArgs}) { nodes { ${treeSelection(tree)} } ${pageInfo(query)} } }`;
      });
      return { document, variables: { id: params.contact_key, ...args.variables } };
    },
    reply: (data, { query }, ctx) => pageReply(data.anonymousServices, readTree('Service', query, status === 'ACTIVE'), ctx),
    success: { status: 200, description: 'The services, oldest first (an empty list when there are none).', schema: serviceNodes },
  });
}

function customerServices([suffix, status, what]: (typeof VARIANTS)[number]): Route {
  return route({
    method: 'GET',
    path: `/customers/{customer_id}/services${suffix}`,
    reference: '11 Query Services (CV.WS.SRV.11)',
    summary: `Lists ${what} services of a customer.`,
    graphql: `customer(customerId) { services${status ? `(status: ${status})` : ''} }`,
    query: SERVICE_LIST_QUERY,
    operation: ({ params, query }) => {
      const tree = readTree('Service', query, status === 'ACTIVE');
      const args = listArguments(status, query, serviceTypes(query));
      const document = lookupQuery(
        `RestCustomerServices${suffix.replace('/', '_')}`,
        `${treeKey(tree)}:${args.key}`,
        'customer(customerId: $id)',
        'String!',
        args.definitions,
        () => `services${args.text ? `(${args.text})` : ''} { nodes { ${treeSelection(tree)} } ${pageInfo(query)} }`,
      );
      return { document, variables: { id: params.customer_id, ...args.variables } };
    },
    // A customer the gateway never heard of has no services: an empty list, as for any other.
    reply: (data, { query }, ctx) =>
      pageReply(data.customer?.services ?? { nodes: [] }, readTree('Service', query, status === 'ACTIVE'), ctx),
    success: { status: 200, description: 'The services, oldest first (an empty list when there are none).', schema: serviceNodes },
  });
}

function serviceStates([suffix, status, what]: (typeof VARIANTS)[number]): Route {
  return route({
    method: 'GET',
    path: `/services/{service_id}/states${suffix}`,
    reference: '12 Query States (CV.WS.SRV.12)',
    summary: `Lists ${what} states of a service, with their tasks when asked.`,
    graphql: `service(serviceId) { states${status ? `(status: ${status})` : ''} }`,
    query: z.object({
      active_tasks: FLAGS.active_tasks,
      completed_tasks: FLAGS.completed_tasks,
      ...READ_PARAMETERS,
      state_types: typesOf.optional().meta({ description: 'State types, ids or names, comma-separated.' }),
      ...PAGE,
    }),
    operation: ({ params, query }) => {
      const tree = readTree('State', query, status === 'ACTIVE');
      const args = listArguments(status, query, [['stateTypes', 'types', '[AttributeRef!]', query.state_types]]);
      const document = lookupQuery(
        `RestServiceStates${suffix.replace('/', '_')}`,
        `${treeKey(tree)}:${args.key}`,
        'service(serviceId: $id)',
        'ID!',
        args.definitions,
        () => `states${args.text ? `(${args.text})` : ''} { nodes { ${treeSelection(tree)} } ${pageInfo(query)} }`,
      );
      return { document, variables: { id: params.service_id, ...args.variables } };
    },
    reply: (data, { params, query }, ctx) => {
      if (!data.service) throw notFound(`service ${params.service_id} does not exist`);
      return pageReply(data.service.states, readTree('State', query, status === 'ACTIVE'), ctx);
    },
    success: { status: 200, description: 'The states, oldest first.', schema: z.array(z.record(z.string(), z.unknown())) },
  });
}

function serviceTasks([suffix, status, what]: (typeof VARIANTS)[number]): Route {
  return route({
    method: 'GET',
    path: `/services/{service_id}/tasks${suffix}`,
    reference: '13 Query Tasks (CV.WS.SRV.13)',
    summary: `Lists ${what} tasks of a service, or of one of its states (state_id).`,
    graphql: `service(serviceId) { tasks${status ? `(status: ${status})` : ''} }, or state(stateId) { tasks }`,
    query: z.object({
      ...READ_PARAMETERS,
      state_id: id.optional().meta({ description: 'Only the tasks of this state of the service.' }),
      task_types: typesOf.optional().meta({ description: 'Task types, ids or names, comma-separated.' }),
      ...PAGE,
    }),
    operation: ({ params, query }) => {
      const tree = readTree('Task', query, status === 'ACTIVE');
      const args = listArguments(status, query, [['taskTypes', 'types', '[AttributeRef!]', query.task_types]]);
      const tasks = () => `tasks${args.text ? `(${args.text})` : ''} { nodes { ${treeSelection(tree)} } ${pageInfo(query)} }`;
      const name = `RestServiceTasks${suffix.replace('/', '_')}`;
      const shape = `${treeKey(tree)}:${args.key}`;
      if (query.state_id === undefined) {
        const document = lookupQuery(name, shape, 'service(serviceId: $id)', 'ID!', args.definitions, tasks);
        return { document, variables: { id: params.service_id, ...args.variables } };
      }
      // Both lookups in one query: the state must belong to the service.
      const document = documentFor(`${name}:state:${shape}`, () => {
        const defs = ['$id: ID!', '$state: ID!', ...args.definitions].join(', ');
        return `query ${name}(${defs}) { service(serviceId: $id) { serviceId } state(stateId: $state) { serviceId ${tasks()} } }`;
      });
      return { document, variables: { id: params.service_id, state: query.state_id, ...args.variables } };
    },
    reply: (data, { params, query }, ctx) => {
      if (!data.service) throw notFound(`service ${params.service_id} does not exist`);
      const owner = query.state_id === undefined ? data.service : data.state;
      if (!owner || owner.serviceId !== data.service.serviceId) {
        throw notFound(`state ${query.state_id} of service ${params.service_id} does not exist`);
      }
      return pageReply(owner.tasks, readTree('Task', query, status === 'ACTIVE'), ctx);
    },
    success: { status: 200, description: 'The tasks, oldest first.', schema: z.array(z.record(z.string(), z.unknown())) },
  });
}

/** One service, state or task by id; a state or task must belong to the service of the path. */
function byId(level: 'Service' | 'State' | 'Task', path: string, reference: string, query: z.ZodType<ReadQuery>): Route {
  const field = level.toLowerCase();
  const idParam = `${field}_id`;
  const tree = (q: ReadQuery): TreeNode => readTree(level, q);
  return route({
    method: 'GET',
    path,
    reference,
    summary: `Reads one ${field}${level === 'Task' ? '' : ' with the nested lists its flags ask for'}.`,
    graphql: `${field}(${field}Id)`,
    query,
    operation: ({ params, query: q }) => {
      const node = tree(q);
      const document = lookupQuery(`Rest${level}`, treeKey(node), `${field}(${field}Id: $id)`, 'ID!', [], () => treeSelection(node));
      return { document, variables: { id: params[idParam] } };
    },
    reply: (data, { params, query: q }, ctx) => {
      const row = data[field];
      if (!row || (level !== 'Service' && row.serviceId !== params.service_id)) {
        throw notFound(`${field} ${params[idParam]}${level === 'Service' ? '' : ` of service ${params.service_id}`} does not exist`);
      }
      return { status: 200, body: treeReply(row, tree(q), ctx.mapNames) };
    },
    success: { status: 200, description: `The ${field}.`, schema: z.record(z.string(), z.unknown()) },
  });
}

export const QUERY_ROUTES = [
  ...VARIANTS.map(anonymousServices),
  ...VARIANTS.map(customerServices),
  ...VARIANTS.map(serviceStates),
  ...VARIANTS.map(serviceTasks),
  byId('Service', '/services/{service_id}', '14 Query Service by ID (CV.WS.SRV.14)', z.object({ ...FLAGS, ...READ_PARAMETERS })),
  byId(
    'State',
    '/services/{service_id}/states/{state_id}',
    '15 Query State by ID (CV.WS.SRV.15)',
    z.object({ active_tasks: FLAGS.active_tasks, completed_tasks: FLAGS.completed_tasks, ...READ_PARAMETERS }),
  ),
  byId('Task', '/services/{service_id}/tasks/{task_id}', '16 Query Task by ID (CV.WS.SRV.16)', z.object(READ_PARAMETERS)),
];
