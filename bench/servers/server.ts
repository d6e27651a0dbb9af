// What a server under test is to the harness: how to start it (a Node script, its environment),
// how to ask it each workload, and what it is measured against. A peer is one such declaration in
// a file of this folder, listed in servers/index.ts.
import type { Exchange, Workload } from '../workloads/workload.js';

/** What every server of a run shares. */
export interface RunEnvironment {
  /** The repository the harness runs from. */
  root: string;
  /** The gateway checkout under test (--gateway, else root). */
  gatewayDir: string;
  databaseUrl: string;
  /** Database pool size of every server. */
  pool: number;
  /** The Node binary every server runs on (--node, else the harness's own). */
  node: string;
  /** The gateway's persisted-operation manifest: every workload's GraphQL document. */
  manifest: string;
  /** Extra environment for every gateway (--gateway-env). */
  gatewayEnv: Record<string, string>;
}

export interface ServerCommand {
  /** Node arguments: flags, then the script. */
  args: string[];
  cwd: string;
  env: Record<string, string>;
}

export interface ServerDeclaration {
  /** Its name in options and reports, e.g. `postgraphile`. */
  name: string;
  /** What the report calls it, e.g. `PostGraphile 5`. */
  title: string;
  /** The floor is what every ratio is taken to; the gateway is what peers are compared with. */
  role?: 'floor' | 'gateway';
  /** How it is asked `workload`, or undefined when it does not answer that workload. */
  exchange(workload: Workload): Exchange | undefined;
  command(environment: RunEnvironment): ServerCommand;
  /** Answers 200 once the server can take load. */
  readyPath: string;
  /** Once per database, before the server starts (e.g. SQL it needs). */
  prepare?(environment: RunEnvironment): Promise<void>;
  /** How it was configured, one line for the report. */
  describe(environment: RunEnvironment): string;
}
