// The default mode: every server in the same alternating rounds. Before timing, the gateway's
// hot statements are explained (ANALYZE, BUFFERS), every server's answers are checked against the
// floor's, and the gateway's cold start is timed; then, for each workload and connection count,
// cycles of one round per server back to back.
import { measureColdStart } from '../cold-start.js';
import { registerExtensionSchemas } from '../extension-schemas.js';
import { type RoundResult, runRound } from '../load.js';
import { capturePlans, plansMarkdown } from '../plans.js';
import type { Server } from '../processes.js';
import {
  detailTable,
  fmt,
  gatewayOverTable,
  type Roles,
  rssByServer,
  type ServerColumn,
  type Summary,
  summarise,
  throughputTable,
} from '../report.js';
import type { ServerDeclaration } from '../servers/server.js';
import { type Answerer, compareAnswers, overHttp } from '../verify.js';
import type { Workload } from '../workloads/workload.js';
import type { Mode, ModeResult, RunContext } from './mode.js';

/** How many times the gateway's req/s a peer's must be at least, in a full run (issue 19). */
const GATEWAY_OVER_TARGETS: Record<string, Record<string, number>> = {
  postgraphile: { W1: 2.0, 'W1-wide': 2.0, W2: 1.2, W3: 1.2 },
};
const TARGET_CONNECTIONS = 32;
export const RSS_LIMIT_MB = 250;
export const COLD_START_LIMIT_MS = 3_000;
/** The gateway's W1 ratio to the floor at the largest scale, against the smallest, may drop this much. */
const SCALE_DRIFT = 0.1;

const targetFor = (server: string, workload: string, connections: number) =>
  connections === TARGET_CONNECTIONS ? GATEWAY_OVER_TARGETS[server]?.[workload] : undefined;

function roles(servers: ServerDeclaration[]): Roles {
  return { floor: servers.find((s) => s.role === 'floor')?.name, gateway: servers.find((s) => s.role === 'gateway')?.name };
}

/** The answers every other server's are checked against: the floor's, else the gateway's. */
function referenceFor(workload: Workload, servers: ServerDeclaration[]): ServerDeclaration | undefined {
  const serving = servers.filter((s) => s.exchange(workload));
  return serving.find((s) => s.role === 'floor') ?? serving.find((s) => s.role === 'gateway') ?? serving[0];
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function run(context: RunContext): Promise<ModeResult> {
  const { settings, environment, servers, workloads, log, problems, notes } = context;
  const gateway = servers.find((s) => s.role === 'gateway');
  for (const server of servers) await server.prepare?.(environment);

  // Alone on the database while auto_explain is set on it (see plans.ts).
  let schemasVia: 'mutation' | 'sql' = 'sql';
  const plans = gateway
    ? await capturePlans(context, gateway, workloads, settings.quick ? 6 : 10, async (send) => {
        schemasVia = await registerExtensionSchemas(send, environment.databaseUrl);
      })
    : [];
  if (!gateway) await registerExtensionSchemas(undefined, environment.databaseUrl);
  if (schemasVia === 'sql') {
    notes.push(
      'The W2 extension schemas were inserted into extension_schema directly (no gateway with createExtensionSchema in this run).',
    );
  }
  if (gateway && !plans.length) problems.push("no plan of the gateway's statements was captured (auto_explain's log lines were not found)");
  for (const plan of plans) {
    if (plan.seqScans.length) problems.push(`${plan.workload}: the gateway's statement reads ${plan.seqScans.join(', ')} sequentially`);
  }

  log('starting the servers');
  const running = new Map<string, Server>();
  for (const server of servers) running.set(server.name, await context.start(server));

  log('checking that every server answers as the reference does');
  const answerer = (server: ServerDeclaration, workload: Workload): Answerer => ({
    name: server.name,
    send: overHttp(running.get(server.name)!.url),
    exchange: server.exchange(workload)!,
  });
  const timed = new Map<Workload, ServerDeclaration[]>();
  for (const workload of workloads) {
    const reference = referenceFor(workload, servers);
    if (!reference) {
      problems.push(`${workload.name}: no server answers it`);
      continue;
    }
    const passing = [reference];
    for (const server of servers) {
      if (server === reference || !server.exchange(workload)) continue;
      const found = await compareAnswers(workload, answerer(reference, workload), answerer(server, workload), settings.samples);
      if (found.length) problems.push(...found);
      else passing.push(server);
    }
    timed.set(
      workload,
      servers.filter((s) => passing.includes(s)),
    );
  }

  const coldStart = gateway && (await measureColdStart(gateway, environment, context.dir, settings.quick ? 1 : 3));
  if (coldStart)
    log(`  cold start: empty DATA_DIR ${fmt(coldStart.emptyMs)} ms, existing ${coldStart.existingMs.map((ms) => fmt(ms)).join(', ')} ms`);

  const rounds: RoundResult[] = [];
  const died = () => [...running.values()].find((server) => server.unexpectedExit());
  timing: for (const [workload, contenders] of timed) {
    for (const connections of settings.connections) {
      for (let cycle = 1; cycle <= settings.rounds; cycle++) {
        for (const server of contenders) {
          const { url, pid } = running.get(server.name)!;
          const contender = { name: server.name, url, pid, exchange: server.exchange(workload)! };
          const dead = died();
          if (dead) {
            problems.push(
              `${dead.name} exited (${dead.unexpectedExit()}) before ${server.name}'s round of ${workload.name} x${connections} cycle ${cycle}; later rounds were not run`,
            );
            break timing;
          }
          const common = { workload, contender, connections, postmasterPid: context.postmasterPid };
          if (cycle === 1 && settings.warmup > 0) {
            await runRound({ ...common, seconds: settings.warmup, seed: `warmup:${workload.name}:${connections}`, cycle: 0 });
          }
          const round = await runRound({ ...common, seconds: settings.duration, seed: `${workload.name}:${connections}:${cycle}`, cycle });
          rounds.push(round);
          log(
            `  ${workload.name.padEnd(7)} x${String(connections).padEnd(3)} cycle ${cycle}/${settings.rounds} ${server.name.padEnd(18)} ` +
              `${Math.round(round.rps).toLocaleString('en').padStart(6)} req/s  p50 ${round.p50Ms.toFixed(1)} ms  p99 ${round.p99Ms.toFixed(1)} ms  ` +
              `errors ${round.errors}  cpu ${(round.serverCpuMs / round.requests).toFixed(3)} ms/req  pg ${(round.postgresCpuMs / round.requests).toFixed(3)} ms/req  rss ${Math.round(round.maxRssMb)} MB`,
          );
          if (round.errors)
            problems.push(
              `${workload.name} x${connections} cycle ${cycle} ${server.name}: ${round.errors} failed requests ${JSON.stringify(round.errorDetail)}`,
            );
          if (round.requests === 0) problems.push(`${workload.name} x${connections} cycle ${cycle} ${server.name}: no request completed`);
        }
      }
    }
  }
  const summaries = summarise(rounds, roles(servers));
  notes.push(
    'The machine may be shared: absolute figures are noisy; the ratios of rounds run back to back in the same cycle are what compares.',
    'CPU per request: user+system time of the process from /proc over the round, divided by the requests completed; PostgreSQL counts the postmaster and all its backends. The load generator (autocannon) runs in the harness process on the same cores.',
  );
  return {
    markdown: markdown(context, summaries, coldStart, plansMarkdown(plans)),
    json: {
      verdicts: !settings.quick,
      rounds,
      summaries,
      coldStart,
      plans,
      servers: servers.map((s) => ({ name: s.name, title: s.title, settings: s.describe(environment) })),
    },
  };
}

function markdown(
  context: RunContext,
  summaries: Summary[],
  coldStart: { emptyMs: number; existingMs: number[] } | undefined,
  plans: string,
): string {
  const { servers, settings, environment } = context;
  const columns: ServerColumn[] = servers.map((s) => ({ name: s.name, title: s.title }));
  const names = context.workloads.map((w) => w.name);
  const connectionCounts = [...settings.connections].sort((a, b) => b - a);
  const rss = rssByServer(summaries);
  const gatewayName = roles(servers).gateway;
  const verdicts = !settings.quick;
  const mark = (ok: boolean) => (verdicts ? (ok ? ' ✓' : ' ✗') : '');
  const existing = coldStart && median(coldStart.existingMs);
  return [
    `Throughput in req/s, median of ${settings.rounds} round(s) of ${settings.duration} s; in brackets the ratio to the floor's rounds of the same cycles.`,
    '',
    ...connectionCounts.flatMap((c) => [throughputTable(summaries, columns, names, c), '']),
    "How many times the gateway's throughput each other server's is (rounds of the same cycle, median (min–max)):",
    '',
    gatewayOverTable(
      summaries,
      columns.filter((c) => c.name !== gatewayName && c.name !== roles(servers).floor),
      names,
      connectionCounts,
      verdicts ? targetFor : () => undefined,
    ),
    '',
    `RSS under load, highest sample: ${columns.map((c) => `${c.title} ${fmt(rss.get(c.name) ?? NaN)} MB${c.name === gatewayName ? ` (limit ${RSS_LIMIT_MB} MB)${mark((rss.get(c.name) ?? 0) < RSS_LIMIT_MB)}` : ''}`).join(', ')}.`,
    ...(coldStart
      ? [
          '',
          `Gateway cold start to /ready on its embedded PostgreSQL: ${fmt(coldStart.emptyMs)} ms on an empty DATA_DIR (initdb, start, migrations), ` +
            `${fmt(existing!)} ms on an existing one (median of ${coldStart.existingMs.length}: ${coldStart.existingMs.map((ms) => fmt(ms)).join(', ')} ms; limit ${fmt(COLD_START_LIMIT_MS)} ms)${mark(existing! < COLD_START_LIMIT_MS)}.`,
        ]
      : []),
    '',
    '#### Servers',
    '',
    ...servers.map((s) => `- **${s.title}** (\`${s.name}\`): ${s.describe(environment)}`),
    '',
    '#### Per server',
    '',
    detailTable(summaries),
    '',
    "#### Plans of the gateway's statements (auto_explain: EXPLAIN ANALYZE, BUFFERS; last of several requests)",
    '',
    plans,
    '',
  ].join('\n');
}

/** Each workload's gateway and peer ratios to the floor at every scale, at the target connection count. */
function combine(results: { scale: number; result: ModeResult }[]): string {
  const byScale = results.map(({ scale, result }) => ({ scale, summaries: result.json.summaries as Summary[] }));
  const first = byScale[0];
  const last = byScale[byScale.length - 1];
  const connections = Math.max(...first.summaries.map((s) => s.connections));
  const keys = [...new Set(first.summaries.filter((s) => s.connections === connections).map((s) => `${s.workload}|${s.server}`))];
  const cell = (summaries: Summary[], key: string) => {
    const s = summaries.find((x) => `${x.workload}|${x.server}` === key && x.connections === connections);
    return s ? `${fmt(s.rps.median)}${s.toFloor ? ` (${fmt(s.toFloor.median, 2)})` : ''}` : '–';
  };
  const relative = (key: string) => {
    const [a, b] = [first, last].map(({ summaries }) =>
      summaries.find((x) => `${x.workload}|${x.server}` === key && x.connections === connections),
    );
    const [ra, rb] = [a?.toFloor?.median, b?.toFloor?.median];
    return ra && rb ? (rb - ra) / ra : undefined;
  };
  const change = (key: string) => {
    const r = relative(key);
    return r === undefined ? '' : `${r >= 0 ? '+' : ''}${fmt(r * 100)} %`;
  };
  const drift = relative('W1|gateway');
  const verdict = results[0].result.json.verdicts && drift !== undefined ? (Math.abs(drift) <= SCALE_DRIFT ? ' ✓' : ' ✗') : '';
  return [
    `### Growth: scale ${byScale.map((s) => s.scale).join(' and ')} side by side (${connections} connections)`,
    '',
    'req/s, in brackets the ratio to the floor in the same cycles; the last column is how that ratio moved from the first scale to the last.',
    '',
    `| workload | server | ${byScale.map((s) => `scale ${s.scale}`).join(' | ')} | ratio change |`,
    `|---|---|${byScale.map(() => '---:').join('|')}|---:|`,
    ...keys.map((key) => {
      const [workload, server] = key.split('|');
      return `| ${workload} | ${server} | ${byScale.map(({ summaries }) => cell(summaries, key)).join(' | ')} | ${change(key)} |`;
    }),
    '',
    ...(drift === undefined
      ? []
      : [
          `Target: the gateway's W1 ratio to the floor at scale ${last.scale} within ${SCALE_DRIFT * 100} % of scale ${first.scale}: ${change('W1|gateway')}${verdict}.`,
          '',
        ]),
  ].join('\n');
}

export const compare: Mode = {
  name: 'compare',
  help: '',
  run,
  combine,
};
