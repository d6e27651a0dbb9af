// The gateway under test, run as a supervisor would run it: one process at a time on a fixed port
// and data folder, started again whenever it exits (like systemd's Restart=always), and killed
// and started again when /health stops answering 200 (like a liveness probe). Anything a
// supervisor cannot fix this way is what the report counts as needing a human.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { send, sleep } from './http.js';

export interface GatewaySpec {
  /** Checkout whose dist/src/main.js runs. */
  dir: string;
  dataDir: string;
  port: number;
  env: Record<string, string>;
  /** Where its output goes. */
  logFile: string;
}

const RESTART_DELAY_MS = 200;
const PROBE_TIMEOUT_MS = 1000;
/** Consecutive failed liveness probes before the supervisor replaces the process. */
const LIVENESS_FAILURES = 3;

export class SupervisedGateway {
  readonly url: string;
  /** Exits the supervisor did not ask for, and liveness kills. */
  crashes = 0;
  livenessKills = 0;
  private child?: ChildProcess;
  private exited?: Promise<void>;
  private stopping = false;
  private readonly log: WriteStream;

  constructor(private readonly spec: GatewaySpec) {
    this.url = `http://127.0.0.1:${spec.port}`;
    this.log = createWriteStream(spec.logFile, { flags: 'a' });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The embedded PostgreSQL's data folder (DATA_DIR/pg). */
  get databaseDir(): string {
    return path.join(this.spec.dataDir, 'pg');
  }

  start(): void {
    this.stopping = false;
    const child = spawn(
      process.execPath,
      ['--max-old-space-size=1024', '--single-threaded-gc', path.join(this.spec.dir, 'dist/src/main.js')],
      {
        cwd: this.spec.dir,
        env: { ...process.env, ...this.spec.env, DATA_DIR: this.spec.dataDir, PORT: String(this.spec.port), HOST: '127.0.0.1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child = child;
    child.stdout!.pipe(this.log, { end: false });
    child.stderr!.pipe(this.log, { end: false });
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.log.write(`# gateway ${child.pid} exited (${signal ?? `code ${code}`})\n`);
        resolve();
        if (this.stopping || this.child !== child) return;
        this.crashes++;
        setTimeout(() => {
          if (!this.stopping && this.child === child) this.start();
        }, RESTART_DELAY_MS);
      }),
    );
  }

  kill9(): void {
    if (this.child?.pid) process.kill(this.child.pid, 'SIGKILL');
  }

  /** SIGTERM, as at the end of a run; SIGKILL if it does not stop in time. */
  async stop(timeoutMs = 15_000): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** Kills the process and restarts nothing (before a repair by hand). */
  async halt(): Promise<void> {
    this.stopping = true;
    this.child?.kill('SIGKILL');
    await this.exited;
  }

  /** Replaces the process at once (what the supervisor does on failed liveness probes). */
  private async replace(): Promise<void> {
    await this.halt();
    this.start();
  }

  /**
   * Waits until /ready answers 200 (and `recovered` holds), supervising meanwhile; returns the
   * seconds it took from `since`, or null when the deadline passed first.
   */
  async waitReady(since: number, deadlineMs: number, recovered: () => boolean = () => true): Promise<number | null> {
    let unhealthy = 0;
    while (performance.now() - since < deadlineMs) {
      const ready = await send(this.url, { method: 'GET', path: '/ready' }, PROBE_TIMEOUT_MS);
      if (ready.status === 200 && recovered()) return (performance.now() - since) / 1000;
      const health = await send(this.url, { method: 'GET', path: '/health' }, PROBE_TIMEOUT_MS);
      // No answer at all is a process starting or restarting: the exit handler deals with that.
      unhealthy = health.status !== 0 && health.status !== 200 ? unhealthy + 1 : 0;
      if (unhealthy >= LIVENESS_FAILURES) {
        this.livenessKills++;
        unhealthy = 0;
        await this.replace();
      }
      await sleep(100);
    }
    return null;
  }

  /** Resident memory of the gateway process in MB (0 when it is not running). */
  rssMb(): number {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.child?.pid}/status`, 'utf8'));
      return match ? Number(match[1]) / 1024 : 0;
    } catch {
      return 0;
    }
  }
}
