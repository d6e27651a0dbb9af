// The gateway as `npm start` runs it (its node flags read from its own package.json), in three
// forms: as built, with the executor answering every operation (SQL_JSON_RESPONSES=false), and
// answering persisted-operation ids instead of documents. A checkout of another commit
// (--baseline) is the same declaration over another folder.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Exchange, Workload } from '../workloads/workload.js';
import type { RunEnvironment, ServerDeclaration } from './server.js';

/** The node flags `npm start` gives the gateway in `dir` (package.json), so it runs here as it runs there. */
export function startFlags(dir: string): string[] {
  const { scripts } = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { scripts: { start: string } };
  return scripts.start.match(/--[\w-]+(=\d+)?/g) ?? [];
}

function gatewayEnv(environment: RunEnvironment, extra: Record<string, string>): Record<string, string> {
  return {
    DATABASE_URL: environment.databaseUrl,
    DB_POOL_SIZE: String(environment.pool),
    LOG_LEVEL: 'warn',
    // Production settings, with what the bench needs made explicit: full documents are accepted
    // next to persisted ids (the bench's documents are in the manifest, as a web frontend's
    // would be), and there are no credentials to check.
    NODE_ENV: 'production',
    PERSISTED_OPERATIONS: 'allow',
    PERSISTED_OPERATIONS_MANIFEST: environment.manifest,
    AUTH_MODE: 'none',
    ...extra,
    ...environment.gatewayEnv,
  };
}

/** A persisted-operation id (APQ protocol) instead of the document. */
function persisted(workload: Workload): Exchange | undefined {
  if (!workload.document) return undefined;
  const sha256Hash = createHash('sha256').update(workload.document).digest('hex');
  return {
    ...workload.exchange,
    request: (variables) => ({
      method: 'POST',
      path: '/graphql',
      body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash } }, variables }),
    }),
  };
}

interface GatewayOptions {
  name: string;
  title: string;
  role?: 'gateway';
  /** The checkout to run; the run's gateway (--gateway, else this repository) when absent. */
  dir?: string;
  env?: Record<string, string>;
  exchange?: (workload: Workload) => Exchange | undefined;
}

export function gatewayServer(options: GatewayOptions): ServerDeclaration {
  const dir = (environment: RunEnvironment) => options.dir ?? environment.gatewayDir;
  const env = options.env ?? {};
  return {
    name: options.name,
    title: options.title,
    role: options.role,
    exchange: options.exchange ?? ((workload) => workload.exchange),
    command: (environment) => ({
      args: [...startFlags(dir(environment)), 'dist/src/main.js'],
      cwd: dir(environment),
      env: gatewayEnv(environment, env),
    }),
    readyPath: '/ready',
    describe: (environment) =>
      `node ${startFlags(dir(environment)).join(' ')} dist/src/main.js, NODE_ENV=production LOG_LEVEL=warn, pool ${environment.pool}` +
      Object.entries({ ...env, ...environment.gatewayEnv })
        .map(([k, v]) => ` ${k}=${v}`)
        .join(''),
  };
}

export const gateway = gatewayServer({ name: 'gateway', title: 'gateway', role: 'gateway' });

export const gatewayExecutor = gatewayServer({
  name: 'gateway-executor',
  title: 'gateway, executor path',
  env: { SQL_JSON_RESPONSES: 'false' },
});

export const gatewayPersisted = gatewayServer({ name: 'gateway-persisted', title: 'gateway, persisted ids', exchange: persisted });
