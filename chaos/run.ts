// `npm run chaos`: faults an operator meets, against the real gateway and its embedded PostgreSQL
// as separate processes, with a table of what happened against the targets.
//
//   npm run chaos                  3 kills of each kind, a 15 s freeze at the default timeouts (~3 min)
//   npm run chaos -- --quick       1 kill of each kind, a 5 s freeze at a 2 s timeout (CI, < 1 min)
//
// Exit status 1 when a target is missed.
import { spawnSync } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type CrashResult, crash } from './crashes.js';
import { flood } from './flood.js';
import { freezeDatabase } from './freeze.js';
import { SupervisedGateway } from './gateway.js';
import { killServer, postmaster } from './postgres.js';
import { floodDetail, markdown, rows } from './report.js';

const ROOT = path.resolve(import.meta.dirname, '..');

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    'timeout-ms': { type: 'string' },
    'freeze-s': { type: 'string' },
    requests: { type: 'string', default: '1000' },
    gateway: { type: 'string' },
    build: { type: 'boolean', default: true },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
  allowNegative: true,
});

if (args.help) {
  process.stdout.write(`npm run chaos -- [options]
  --quick           1 kill of each kind, 5 s freeze at a 2 s database timeout (CI)
  --rounds N        kills of each kind (3; quick 1)
  --timeout-ms MS   the gateway's DB_STATEMENT_TIMEOUT_MS, and the freeze target's base (10000; quick 2000)
  --freeze-s S      how long PostgreSQL stays frozen (15; quick 5)
  --requests N      hostile requests in the flood (1000)
  --gateway DIR     run the gateway checkout in DIR (e.g. another branch's worktree)
  --no-build        run the existing dist/ instead of running npm run build first
  --keep            keep the temporary folder (data, gateway.log)
`);
  process.exit(0);
}

const quick = args.quick;
const number = (value: string | undefined, fallback: number) => (value === undefined ? fallback : Number(value));
const settings = {
  rounds: number(args.rounds, quick ? 1 : 3),
  timeoutMs: number(args['timeout-ms'], quick ? 2000 : 10_000),
  freezeMs: number(args['freeze-s'], quick ? 5 : 15) * 1000,
  requests: number(args.requests, 1000),
};
const GATEWAY_DIR = path.resolve(args.gateway ?? ROOT);
const log = (line: string) => process.stderr.write(`${line}\n`);

function build(): void {
  log(`building the gateway in ${GATEWAY_DIR} (npm run build)`);
  const result = spawnSync('npm', ['run', '--silent', 'build'], { cwd: GATEWAY_DIR, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error('npm run build failed');
}

async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as import('node:net').AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function main(): Promise<number> {
  const startedAt = performance.now();
  if (args.build) build();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'context-chaos-'));
  // Open to the unprivileged user the embedded PostgreSQL runs as under root (mkdtemp makes it 0700).
  await chmod(dir, 0o755);
  const gateway = new SupervisedGateway({
    dir: GATEWAY_DIR,
    dataDir: path.join(dir, 'data'),
    port: await freePort(),
    logFile: path.join(dir, 'gateway.log'),
    env: {
      NODE_ENV: 'production',
      AUTH_MODE: 'none',
      PERSISTED_OPERATIONS: 'allow',
      LOG_LEVEL: 'info',
      DB_STATEMENT_TIMEOUT_MS: String(settings.timeoutMs),
    },
  });
  log(`gateway log: ${path.join(dir, 'gateway.log')}`);
  try {
    gateway.start();
    if ((await gateway.waitReady(performance.now(), 60_000)) === null) throw new Error('the gateway did not start');

    const crashes: CrashResult[] = [];
    for (let round = 1; round <= settings.rounds; round++) {
      for (const kind of ['gateway', 'postgres', 'both'] as const) {
        crashes.push(
          await crash(
            gateway,
            kind,
            `${kind}-${round}`,
            { workers: 4, loadBeforeMs: quick ? 1500 : 3000, loadAfterMs: quick ? 500 : 1000, recoveryDeadlineMs: quick ? 15_000 : 30_000 },
            log,
          ),
        );
      }
    }
    const frozen = await freezeDatabase(gateway, { freezeMs: settings.freezeMs, afterMs: 2000, clients: 4 }, log);
    const flooded = await flood(gateway, { requests: settings.requests, concurrency: 8, settleMs: quick ? 2000 : 5000 }, log);
    await gateway.stop();
    const left = postmaster(gateway.databaseDir);
    if (left) log(`PostgreSQL ${left.pid} outlived the gateway's clean stop`);

    const table = rows(crashes, frozen, flooded, settings.timeoutMs);
    process.stdout.write(
      `\n## Chaos ${quick ? '(quick)' : ''}: ${new Date().toISOString()}, ${GATEWAY_DIR}\n\n` +
        `Database timeout ${settings.timeoutMs} ms, freeze ${settings.freezeMs / 1000} s, ${settings.rounds} kill(s) of each kind, ` +
        `${os.availableParallelism()} CPUs, load average ${os.loadavg()[0].toFixed(2)}; ${((performance.now() - startedAt) / 1000).toFixed(0)} s in all.\n\n` +
        `${markdown(table)}\n\n${floodDetail(flooded)}\n`,
    );
    return table.every((row) => row.met) ? 0 : 1;
  } finally {
    await gateway.stop();
    const left = postmaster(gateway.databaseDir);
    if (left) await killServer(left);
    if (args.keep) log(`kept ${dir}`);
    else await rm(dir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
