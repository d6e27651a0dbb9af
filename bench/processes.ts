// The servers under test run as child processes so that each one's CPU time can be read from
// /proc on its own: the gateway, the floor, and PostgreSQL (the postmaster and its backends).
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { createInterface } from 'node:readline';
import type { RunEnvironment, ServerDeclaration } from './servers/server.js';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface Server {
  name: string;
  url: string;
  pid: number;
  child: ChildProcess;
  /** How the process ended when it was not asked to (`code 1`, `signal SIGKILL`), or null. */
  unexpectedExit(): string | null;
  stop(): Promise<void>;
}

export interface ServerSpec {
  name: string;
  /** The Node binary. */
  node: string;
  /** Node arguments: flags then the script. */
  args: string[];
  env: Record<string, string>;
  /** Path answering 200 once the server can take load. */
  readyPath: string;
  cwd?: string;
  timeoutMs?: number;
  /** How often readiness is polled (100 ms). */
  pollMs?: number;
}

/** Starts `node ...args` on a free loopback port (PORT) and waits until `readyPath` answers 200. */
export async function startServer(spec: ServerSpec): Promise<Server> {
  const port = await freePort();
  const child = spawn(spec.node, spec.args, {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Their output goes to our stderr, prefixed, so stdout carries only the results.
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (text) => process.stderr.write(`  [${spec.name}] ${text}\n`));
  }
  let stopping = false;
  let unexpected: string | null = null;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => {
      if (!stopping) {
        unexpected = signal ? `signal ${signal}` : `code ${code}`;
        process.stderr.write(`  [${spec.name}] exited unexpectedly (${unexpected})\n`);
      }
      resolve(code);
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (spec.timeoutMs ?? 60_000);
  for (;;) {
    const status = await Promise.race([
      fetch(url + spec.readyPath).then(
        (r) => r.status,
        () => 0,
      ),
      exited.then((code) => {
        throw new Error(`${spec.name} exited with code ${code} before it was ready`);
      }),
    ]);
    if (status === 200) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${spec.name} was not ready on ${url}${spec.readyPath} after ${spec.timeoutMs ?? 60_000} ms`);
    }
    await new Promise((r) => setTimeout(r, spec.pollMs ?? 100));
  }
  return {
    name: spec.name,
    url,
    pid: child.pid!,
    child,
    unexpectedExit: () => unexpected,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      stopping = true;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Starts a declared server for this run (its `prepare` has run already). */
export function startDeclared(declaration: ServerDeclaration, environment: RunEnvironment): Promise<Server> {
  const { args, cwd, env } = declaration.command(environment);
  return startServer({ name: declaration.name, node: environment.node, args, cwd, env, readyPath: declaration.readyPath });
}

// /proc/<pid>/stat fields after the parenthesised command name, counted from field 3 (state).
const PPID = 1;
const UTIME = 11;
const STIME = 12;
const CUTIME = 13;
const CSTIME = 14;
// Linux reports these in USER_HZ ticks, 1/100 s on every architecture (`getconf CLK_TCK`).
const MS_PER_TICK = 10;

function statFields(pid: number): number[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
  } catch {
    return null; // the process has gone
  }
}

/** User + system CPU time of one process (all its threads), in ms; NaN once it has gone. */
export function processCpuMs(pid: number): number {
  const f = statFields(pid);
  return f ? (f[UTIME] + f[STIME]) * MS_PER_TICK : NaN;
}

/**
 * CPU time of a PostgreSQL server in ms: the postmaster, its live children (backends, walwriter,
 * ...) and, through the postmaster's cumulative child times, the children that have exited.
 */
export function postgresCpuMs(postmasterPid: number): number {
  // A backend reaped while the children are being read would be counted nowhere; the pools close
  // idle connections at round boundaries, so this happens. Read again until no child was reaped.
  for (;;) {
    const before = statFields(postmasterPid);
    if (!before) return 0;
    let ticks = 0;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const f = statFields(Number(entry));
      if (f && f[PPID] === postmasterPid) ticks += f[UTIME] + f[STIME];
    }
    const after = statFields(postmasterPid);
    if (!after) return 0;
    if (after[CUTIME] + after[CSTIME] === before[CUTIME] + before[CSTIME]) {
      return (ticks + after[UTIME] + after[STIME] + after[CUTIME] + after[CSTIME]) * MS_PER_TICK;
    }
  }
}

/** Resident set size of a process in MB. */
export function rssMb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** The postmaster's pid, first line of postmaster.pid in the data folder. */
export function postmasterPid(databaseDir: string): number {
  return Number(readFileSync(`${databaseDir}/postmaster.pid`, 'utf8').split('\n')[0]);
}
