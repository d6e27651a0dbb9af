// The gateway's embedded PostgreSQL seen from outside, through its data folder: postmaster.pid
// names the postmaster and its port; /proc names its children (backends and helpers).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';

export interface Postmaster {
  pid: number;
  port: number;
}

/** The postmaster running on `databaseDir`, or null when none is (no pid file, or a stale one). */
export function postmaster(databaseDir: string): Postmaster | null {
  try {
    const lines = readFileSync(path.join(databaseDir, 'postmaster.pid'), 'utf8').split('\n');
    const pid = Number(lines[0]);
    return alive(pid) ? { pid, port: Number(lines[3]) } : null;
  } catch {
    return null;
  }
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

/** The postmaster and its children. */
export function serverProcesses(master: Postmaster): number[] {
  const children = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => parentOf(pid) === master.pid);
  return [master.pid, ...children];
}

function signalAll(pids: number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // Gone already.
    }
  }
}

/** Stops every process of the server where it stands (SIGSTOP); returns them for thaw(). */
export function freeze(master: Postmaster): number[] {
  // The postmaster first, so that it forks no new backend while its children are being stopped.
  process.kill(master.pid, 'SIGSTOP');
  const pids = serverProcesses(master);
  signalAll(pids, 'SIGSTOP');
  return pids;
}

export function thaw(pids: number[]): void {
  signalAll(pids, 'SIGCONT');
}

/** What an operator does by hand when nothing else works: kill -9 the server and its children. */
export async function killServer(master: Postmaster): Promise<void> {
  const pids = serverProcesses(master);
  signalAll(pids, 'SIGKILL');
  const deadline = Date.now() + 5000;
  while (pids.some(alive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
}

/** A client of the database of the server running on `databaseDir` (the gateway's fixed credentials). */
export async function connect(databaseDir: string): Promise<pg.Client> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const master = postmaster(databaseDir);
    const client = master && new pg.Client({ connectionString: `postgresql://postgres:postgres@127.0.0.1:${master.port}/context` });
    try {
      if (client) {
        await client.connect();
        return client;
      }
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error(`no PostgreSQL runs on ${databaseDir}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
