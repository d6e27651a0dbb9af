// The floor: what the workloads cost with nothing but node:http, pg and one hand-written statement
// each (floor-sql.ts). No gateway can beat it; every ratio in the report is taken to it.
import { graphqlExchange, type Workload } from '../workloads/workload.js';
import type { ServerDeclaration } from './server.js';

/** The workloads the floor's statements answer: the floor ignores `query` and answers from `variables` at one path per statement. */
export const FLOOR_PATHS: Record<string, string> = { W1: '/w1', 'W1-wide': '/w1', W2: '/w2', W3: '/w3' };

export const floor: ServerDeclaration = {
  name: 'floor',
  title: 'floor (node:http + pg)',
  role: 'floor',
  exchange: (workload: Workload) =>
    workload.floor ?? (FLOOR_PATHS[workload.name] ? graphqlExchange('', FLOOR_PATHS[workload.name]) : undefined),
  command: (environment) => ({
    args: ['--import', 'tsx', 'bench/servers/floor-server.ts'],
    cwd: environment.root,
    env: { DATABASE_URL: environment.databaseUrl, DB_POOL_SIZE: String(environment.pool) },
  }),
  readyPath: '/ready',
  describe: (environment) => `bench/servers/floor-server.ts, pool ${environment.pool}, named (prepared) statements`,
};
