// The floor behind graphql-yoga (yoga-floor-server.ts): the least a server built on Yoga can
// cost per request, so a report tells the framework's share from the gateway's own.
import type { Workload } from '../workloads/workload.js';
import { FLOOR_PATHS } from './floor.js';
import type { ServerDeclaration } from './server.js';

export const yogaFloor: ServerDeclaration = {
  name: 'yoga-floor',
  title: 'Yoga floor (graphql-yoga + pg)',
  exchange: (workload: Workload) => (FLOOR_PATHS[workload.name] ? workload.exchange : undefined),
  command: (environment) => ({
    args: ['--import', 'tsx', 'bench/servers/yoga-floor-server.ts'],
    cwd: environment.root,
    env: { DATABASE_URL: environment.databaseUrl, DB_POOL_SIZE: String(environment.pool), NODE_ENV: 'production' },
  }),
  readyPath: '/ready',
  describe: (environment) =>
    `bench/servers/yoga-floor-server.ts: graphql-yoga with no plugin of its own over the gateway's schema, the floor's statements, pool ${environment.pool}`,
};
