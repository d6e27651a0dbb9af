// The gateway as a real child process (from source, or through `npm start`), its output
// collected and its JSON log lines parsed, for tests of start-up, shutdown and crashes.
import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { PROJECT_ROOT } from '../../src/paths.js';

export interface Running {
  child: ChildProcess;
  port: number;
  logs: Record<string, any>[];
  stdout: string[];
  exited: Promise<number | null>;
  /** Kills what is left of the child's process group (after a failure). */
  kill(): void;
}

export async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export const FROM_SOURCE = [process.execPath, '--import', 'tsx', 'src/main.ts'];

export async function start(env: Record<string, string>, [command, ...args] = FROM_SOURCE): Promise<Running> {
  const port = await freePort();
  const { DATABASE_URL: _unused, ...inherited } = process.env;
  const child = spawn(command, args, {
    cwd: PROJECT_ROOT,
    // Production wants its AUTH_MODE named and runs persisted operations only by default; these
    // tests send plain documents without credentials, so they say so.
    env: {
      ...inherited,
      NODE_ENV: 'production',
      AUTH_MODE: 'none',
      PERSISTED_OPERATIONS: 'allow',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so a failed test can clean up whatever it left running (see `kill`).
    detached: true,
  });
  const stdout: string[] = [];
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const lines = (buffered + chunk.toString()).split('\n');
    buffered = lines.pop()!;
    stdout.push(...lines);
  });
  child.stderr!.on('data', (chunk: Buffer) => stdout.push(`stderr: ${chunk}`));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const kill = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // The group is gone already: the normal outcome.
    }
  };
  return {
    child,
    port,
    stdout,
    exited,
    kill,
    // Everything the gateway writes is a JSON line; npm and tsc add lines of their own around it.
    get logs() {
      return stdout.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, any>);
    },
  };
}

export async function waitReady(running: Running, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (running.child.exitCode !== null) throw new Error(`gateway exited early:\n${running.stdout.join('\n')}`);
    const status = await fetch(`http://127.0.0.1:${running.port}/ready`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`gateway not ready after ${timeoutMs} ms:\n${running.stdout.join('\n')}`);
}
