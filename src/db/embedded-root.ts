// Running the embedded PostgreSQL as root. PostgreSQL refuses to run as root, so its programs run
// as the unprivileged `postgres` user (created when missing), which must be able to reach both
// the programs and the data folder: a folder closed to others above either (a clone under
// /root, a `mktemp -d` folder, mode 0700) makes initdb fail with EACCES. The programs are copied
// where it can reach them; a data folder it cannot reach stops the start with what to do.
import { execFile, spawn } from 'node:child_process';
import { chmod, cp, lstat, mkdtemp, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const POSTGRES_USER = 'postgres';

export interface RunAs {
  uid: number;
  gid: number;
}

/** Thrown when the embedded server cannot start for a reason the operator must fix; its message says how. */
export class EmbeddedSetupError extends Error {
  override name = 'EmbeddedSetupError';
}

async function ids(): Promise<RunAs | undefined> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', POSTGRES_USER]), run('id', ['-g', POSTGRES_USER])]);
    return { uid: Number(uid.stdout), gid: Number(gid.stdout) };
  } catch {
    return undefined;
  }
}

/** The user the server runs as: undefined when not root (it runs as us), `postgres` otherwise. */
export async function postgresUser(): Promise<RunAs | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const existing = await ids();
  if (existing) return existing;
  try {
    await run('groupadd', ['--system', POSTGRES_USER]);
    await run('useradd', ['--system', '--gid', POSTGRES_USER, '--no-create-home', POSTGRES_USER]);
  } catch (error) {
    throw new EmbeddedSetupError(
      `cannot create the "${POSTGRES_USER}" user the embedded PostgreSQL runs as under root (${(error as Error).message.trim()}): create it, run the gateway as another user, or set DATABASE_URL`,
    );
  }
  return (await ids())!;
}

/** Whether `user` can enter `folder` (we create and hand over what it writes there). */
function canEnter(folder: string, user: RunAs): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', 'cd "$1"', 'sh', folder], { ...user, stdio: 'ignore' });
    child.on('error', () => resolve(false));
    child.on('exit', (code) => resolve(code === 0));
  });
}

/** Whether `user` can run the program at `file` (every folder above it open to it). */
function canRun(file: string, user: RunAs): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(file, ['--version'], { ...user, stdio: 'ignore' });
    child.on('error', () => resolve(false));
    child.on('exit', (code) => resolve(code === 0));
  });
}

/** The folder that holds the data folder, checked before initdb or the server is spawned. */
export async function checkDataReachable(folder: string, user: RunAs): Promise<void> {
  if (await canEnter(folder, user)) return;
  throw new EmbeddedSetupError(
    `DATA_DIR ${folder} is not reachable by the "${POSTGRES_USER}" user the embedded PostgreSQL runs as under root (a folder above it is closed to other users, e.g. /root or a mktemp -d folder): set DATA_DIR to a folder that user can enter (e.g. DATA_DIR=/var/lib/context-gateway), run the gateway as another user, or set DATABASE_URL`,
  );
}

/**
 * The folder of PostgreSQL's programs (`native`, holding bin/, lib/ and share/) as `user` can
 * run them: `native` itself when it can, else a copy in the system's temporary folder, made once
 * per version and owned by root.
 */
export async function reachablePrograms(native: string, version: string, user: RunAs): Promise<string> {
  if (await canRun(path.join(native, 'bin', 'postgres'), user)) return native;
  const copy = path.join(os.tmpdir(), `context-gateway-postgres-${version}`);
  const existing = await lstat(copy).catch(() => undefined);
  if (existing) {
    // Only a folder no one but root could have written is run.
    if (!existing.isDirectory() || existing.uid !== 0 || (existing.mode & 0o022) !== 0) {
      throw new EmbeddedSetupError(`${copy} exists but is not a folder that only root can write: remove it`);
    }
    return copy;
  }
  const staging = await mkdtemp(`${copy}-`);
  try {
    await cp(native, staging, { recursive: true, verbatimSymlinks: true });
    await rm(path.join(staging, 'pg-symlinks.json'), { force: true });
    await chmod(staging, 0o755);
    await rename(staging, copy);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    // Another gateway made the copy first.
    if (!(await lstat(copy).catch(() => undefined))) throw error;
  }
  return copy;
}
