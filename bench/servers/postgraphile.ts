// PostGraphile 5: what a team puts on PostgreSQL to get GraphQL without writing resolvers. It
// serves its own schema, generated from the tables, so each workload is asked in that schema's
// words and its answer is turned back into the gateway's form to be checked like any other.
// W2 is its generated createService; W3 the function in postgraphile-sql.ts. Neither validates
// extensions against their schemas, as the gateway does.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { TransitionInput } from '../workloads/w3.js';
import { translatedExchange, type Variables } from '../workloads/workload.js';
import { POSTGRAPHILE_SCHEMA, POSTGRAPHILE_SQL } from './postgraphile-sql.js';
import type { ServerDeclaration } from './server.js';

// The gateway's page size for nested lists; PostGraphile's are unbounded unless asked.
const PAGE = 50;
const ACTIVE = (order: string) => `condition: { completedAt: null }, orderBy: [STARTED_AT_ASC, ${order}], first: ${PAGE}`;
const LIFECYCLE = 'startedAt completedAt extensions';

const W1 = `query W1($customerId: String!) {
  customerByCustomerId(customerId: $customerId) {
    customerId
    extensions
    servicesByCustomerId(${ACTIVE('SERVICE_ID_ASC')}) {
      nodes {
        serviceId serviceTypeId serviceTypeName ${LIFECYCLE} estDuration
        statesByServiceId(${ACTIVE('STATE_ID_ASC')}) {
          nodes {
            stateId stateTypeId stateTypeName ${LIFECYCLE}
            tasksByStateId(${ACTIVE('TASK_ID_ASC')}) {
              nodes { taskId taskTypeId taskTypeName ${LIFECYCLE} }
            }
          }
        }
      }
    }
  }
}`;

const W2 = `mutation W2($service: ServiceInput!) {
  createService(input: { service: $service }) {
    service { serviceId customerId serviceTypeId serviceTypeName startedAt completedAt started extensions }
  }
}`;

const W3 = `mutation W3($input: PostgraphileBenchTransitionStateInput!) {
  postgraphileBenchTransitionState(input: $input) {
    result { stateId serviceId previousStateId stateTypeId stateTypeName completedAt disposition started }
  }
}`;

type Row = Record<string, any>;
const typeOf = (id: number | null, name: string | null) => (id === null && name === null ? null : { id, name });
const status = (row: Row) => (row.completedAt === null ? 'ACTIVE' : 'COMPLETED');
const timestamp = (value: string) => new Date(value).toISOString();
const node = (row: Row, kind: string) => ({
  [`${kind}Id`]: row[`${kind}Id`],
  [`${kind}Type`]: typeOf(row[`${kind}TypeId`], row[`${kind}TypeName`]),
  status: status(row),
  started: { timestamp: timestamp(row.startedAt) },
  extensions: row.extensions,
});

function w1Answer(data: any) {
  const customer = data.customerByCustomerId;
  if (!customer) return { customer: null };
  return {
    customer: {
      customerId: customer.customerId,
      extensions: customer.extensions,
      services: {
        nodes: customer.servicesByCustomerId.nodes.map((service: Row) => ({
          ...node(service, 'service'),
          estDuration: service.estDuration,
          states: {
            nodes: service.statesByServiceId.nodes.map((state: Row) => ({
              ...node(state, 'state'),
              tasks: { nodes: state.tasksByStateId.nodes.map((task: Row) => node(task, 'task')) },
            })),
          },
        })),
      },
    },
  };
}

const w1 = translatedExchange(W1, (variables) => variables, w1Answer);

const w2 = translatedExchange(
  W2,
  ({ input }: Variables) => {
    const { customerId, serviceType, interactionId, extensions } = input as Row;
    return {
      service: { customerId, serviceTypeName: serviceType, startedAt: new Date().toISOString(), started: { interactionId }, extensions },
    };
  },
  (data: any) => {
    const service = data.createService.service;
    return {
      startService: {
        service: {
          serviceId: service.serviceId,
          customerId: service.customerId,
          status: status(service),
          serviceType: typeOf(service.serviceTypeId, service.serviceTypeName),
          started: { timestamp: timestamp(service.startedAt), interactionId: service.started.interactionId },
          extensions: service.extensions,
        },
      },
    };
  },
);

const w3 = translatedExchange(
  W3,
  ({ input }: Variables) => {
    const { serviceId, interactionId, from, to } = input as TransitionInput;
    return {
      input: {
        serviceId,
        stateId: from.stateId,
        interactionId,
        disposition: { id: null, name: from.disposition },
        stateTypeName: to.stateType,
      },
    };
  },
  (data: any) => {
    const rows: Row[] = data.postgraphileBenchTransitionState.result ?? [];
    const completed = rows.find((row) => row.completedAt !== null);
    const started = rows.find((row) => row.completedAt === null);
    return {
      transitionState: {
        completed: completed && {
          stateId: completed.stateId,
          serviceId: completed.serviceId,
          status: status(completed),
          disposition: completed.disposition,
        },
        started: started && {
          stateId: started.stateId,
          serviceId: started.serviceId,
          previousStateId: started.previousStateId,
          status: status(started),
          stateType: typeOf(started.stateTypeId, started.stateTypeName),
          started: { interactionId: started.started.interactionId },
        },
      },
    };
  },
);

const version = (root: string) =>
  (JSON.parse(readFileSync(path.join(root, 'node_modules/postgraphile/package.json'), 'utf8')) as { version: string }).version;

const EXCHANGES: Record<string, ReturnType<typeof translatedExchange>> = { W1: w1, 'W1-wide': w1, W2: w2, W3: w3 };

export const postgraphile: ServerDeclaration = {
  name: 'postgraphile',
  title: 'PostGraphile 5',
  exchange: (workload) => EXCHANGES[workload.name],
  command: (environment) => ({
    args: ['bench/servers/postgraphile-server.mjs'],
    cwd: environment.root,
    env: {
      DATABASE_URL: environment.databaseUrl,
      DB_POOL_SIZE: String(environment.pool),
      NODE_ENV: 'production',
      POSTGRAPHILE_SCHEMAS: `public,${POSTGRAPHILE_SCHEMA}`,
    },
  }),
  readyPath: '/ready',
  async prepare(environment) {
    const client = new pg.Client({ connectionString: environment.databaseUrl });
    await client.connect();
    try {
      await client.query(POSTGRAPHILE_SQL);
    } finally {
      await client.end();
    }
  },
  describe: (environment) =>
    `postgraphile ${version(environment.root)}, Amber preset, library mode on node:http, NODE_ENV=production, no watch, no GraphiQL, outputDataAsString, pool ${environment.pool}`,
};
