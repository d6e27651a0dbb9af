// The gateway's start to /ready on its embedded PostgreSQL (no DATABASE_URL): once on an empty
// DATA_DIR (initdb, start, migrations) and then again on the folder that start left behind.
import path from 'node:path';
import { startServer } from './processes.js';
import type { RunEnvironment, ServerDeclaration } from './servers/server.js';

export interface ColdStart {
  emptyMs: number;
  existingMs: number[];
}

export async function measureColdStart(
  gateway: ServerDeclaration,
  environment: RunEnvironment,
  dir: string,
  restarts: number,
): Promise<ColdStart> {
  const { args, cwd, env } = gateway.command(environment);
  const { DATABASE_URL: _, ...rest } = env;
  const spec = { name: `${gateway.name} (cold start)`, node: environment.node, args, cwd, readyPath: gateway.readyPath, pollMs: 10 };
  const dataDir = path.join(dir, 'cold-start');
  const timed = async () => {
    const startedAt = performance.now();
    const server = await startServer({ ...spec, env: { ...rest, DATA_DIR: dataDir } });
    const ms = performance.now() - startedAt;
    await server.stop();
    return ms;
  };
  const emptyMs = await timed();
  const existingMs: number[] = [];
  for (let i = 0; i < restarts; i++) existingMs.push(await timed());
  return { emptyMs, existingMs };
}
