// A PostgreSQL left running on our data folder by a gateway that died without stopping it
// (kill -9, a crash, a host that lost power mid-way): found through the postmaster.pid file
// PostgreSQL keeps in its data folder, and stopped, but only once it is proven to be a postgres
// serving that very folder. Whatever else holds the pid is never signalled.
import { readFile, realpath, rm } from 'node:fs/promises';
import path from 'node:path';
import { commandOf, isAlive } from './process-info.js';

/** How long each way of stopping it is given before the next, harder one. */
const FAST_SHUTDOWN_MS = 5000;
const IMMEDIATE_SHUTDOWN_MS = 2000;
const KILL_MS = 2000;

export interface PidFile {
  pid: number;
  dataDir: string;
  port: number;
}

/** postmaster.pid: pid, data folder, start time, port, socket folder, listen address, shared memory key, status. */
export async function readPidFile(databaseDir: string): Promise<(PidFile & { startedAt: number; status: string }) | null> {
  const text = await readFile(path.join(databaseDir, 'postmaster.pid'), 'utf8').catch(() => null);
  if (text === null) return null;
  const lines = text.split('\n');
  return {
    pid: Number(lines[0]),
    dataDir: lines[1] ?? '',
    startedAt: Number(lines[2]),
    port: Number(lines[3]),
    status: (lines[7] ?? '').trim(),
  };
}

/** Whether `pid` runs a postgres whose data folder is `databaseDir`, or null when that cannot be known here. */
async function servesFolder(pid: number, databaseDir: string): Promise<boolean | null> {
  const command = await commandOf(pid);
  if (!command) return isAlive(pid) ? null : false;
  const real = await realpath(databaseDir);
  const dataArg = command.argv[command.argv.indexOf('-D') + 1];
  // A postgres runs in its data folder; the postmaster is the one given it with -D.
  return (
    path.basename(command.argv[0] ?? '') === 'postgres' &&
    command.cwd === real &&
    dataArg !== undefined &&
    path.resolve(dataArg) === path.resolve(databaseDir)
  );
}

async function waitGone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return true;
}

/**
 * Makes sure no earlier server runs on `databaseDir`: stops a postgres proven to serve it (fast
 * shutdown, then immediate, then kill), removes a pid file whose pid now names another program,
 * and refuses to go on when it cannot tell. The caller holds the data folder's lock, so no live
 * gateway uses that server.
 */
export async function stopOrphan(databaseDir: string, log: (message: string, details: Record<string, unknown>) => void): Promise<void> {
  const file = await readPidFile(databaseDir);
  if (!file || !isAlive(file.pid)) return;
  const ours = await servesFolder(file.pid, databaseDir);
  if (ours === false) {
    // The pid was reused by something else after the server died: PostgreSQL would refuse to start.
    await rm(path.join(databaseDir, 'postmaster.pid'), { force: true });
    return;
  }
  if (ours === null) {
    throw new Error(`a process (pid ${file.pid}) may still be a PostgreSQL on ${databaseDir}; stop it, then start again`);
  }
  log('stopping the PostgreSQL an earlier gateway left running', { pid: file.pid, port: file.port });
  for (const [signal, ms] of [
    ['SIGINT', FAST_SHUTDOWN_MS],
    ['SIGQUIT', IMMEDIATE_SHUTDOWN_MS],
    ['SIGKILL', KILL_MS],
  ] as const) {
    try {
      // Resumed first, in case it was stopped (SIGSTOP): a stopped process ignores all but SIGKILL.
      process.kill(file.pid, 'SIGCONT');
      process.kill(file.pid, signal);
    } catch {
      return;
    }
    if (await waitGone(file.pid, ms)) return;
    log('the earlier PostgreSQL did not stop in time', { pid: file.pid, signal });
  }
  throw new Error(`the PostgreSQL an earlier gateway left running (pid ${file.pid}) does not stop`);
}
