// Turns the rounds into the issue's table: req/s median (min-max), latencies, errors, CPU per
// request of the server and of PostgreSQL, RSS, and the gateway/floor ratio, which is the median
// of the ratios of rounds run back to back (A B A B ...), so drift in machine load cancels out.
import type { RoundResult } from './load.js';

export interface Spread {
  median: number;
  min: number;
  max: number;
}

export interface Summary {
  workload: string;
  connections: number;
  contender: RoundResult['contender'];
  rounds: number;
  requests: number;
  rps: Spread;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  serverCpuMsPerRequest: number;
  postgresCpuMsPerRequest: number;
  clientCpuMsPerRequest: number;
  maxRssMb: number;
  /** Gateway rows only: this contender's req/s over the floor's, cycle by cycle. */
  ratio?: Spread;
}

export interface Target {
  workload: string;
  connections?: number;
  minRatio: number;
}

/** The issue's targets: ratios to the floor in the same run. */
export const TARGETS: Target[] = [
  { workload: 'W1', connections: 32, minRatio: 0.5 },
  { workload: 'W1-wide', connections: 32, minRatio: 0.5 },
  { workload: 'W2', minRatio: 0.6 },
  { workload: 'W3', minRatio: 0.6 },
];
export const RSS_LIMIT_MB = 250;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const spread = (values: number[]): Spread => ({ median: median(values), min: Math.min(...values), max: Math.max(...values) });
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

export function summarise(rounds: RoundResult[]): Summary[] {
  const groups = new Map<string, RoundResult[]>();
  for (const round of rounds) {
    const key = `${round.workload}|${round.connections}|${round.contender}`;
    groups.set(key, [...(groups.get(key) ?? []), round]);
  }
  const summaries: Summary[] = [];
  for (const group of groups.values()) {
    const { workload, connections, contender } = group[0];
    const requests = sum(group.map((r) => r.requests));
    const perRequest = (ms: number) => (requests ? ms / requests : NaN);
    const summary: Summary = {
      workload,
      connections,
      contender,
      rounds: group.length,
      requests,
      rps: spread(group.map((r) => r.rps)),
      p50Ms: median(group.map((r) => r.p50Ms)),
      p99Ms: median(group.map((r) => r.p99Ms)),
      errors: sum(group.map((r) => r.errors)),
      serverCpuMsPerRequest: perRequest(sum(group.map((r) => r.serverCpuMs))),
      postgresCpuMsPerRequest: perRequest(sum(group.map((r) => r.postgresCpuMs))),
      clientCpuMsPerRequest: perRequest(sum(group.map((r) => r.clientCpuMs))),
      maxRssMb: Math.max(...group.map((r) => r.maxRssMb)),
    };
    if (contender !== 'floor') {
      const floor = new Map(
        rounds
          .filter((r) => r.workload === workload && r.connections === connections && r.contender === 'floor')
          .map((r) => [r.cycle, r.rps]),
      );
      const ratios = group.filter((r) => floor.get(r.cycle)).map((r) => r.rps / floor.get(r.cycle)!);
      if (ratios.length) summary.ratio = spread(ratios);
    }
    summaries.push(summary);
  }
  return summaries;
}

export interface RunInfo {
  date: string;
  mode: 'full' | 'quick';
  machine: string;
  versions: string;
  commit: string;
  settings: string;
  dataset: string;
  notes: string[];
}

const fmt = (n: number, digits = 0) =>
  Number.isFinite(n) ? n.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '–';
const fmtSpread = (s: Spread, digits = 0) => `${fmt(s.median, digits)} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`;

function targetFor(workload: string, connections: number): Target | undefined {
  return TARGETS.find((t) => t.workload === workload && (t.connections === undefined || t.connections === connections));
}

/** `verdicts` marks each ratio against its target (meaningless for quick runs). */
export function ratioTable(summaries: Summary[], verdicts: boolean): string {
  const rows = summaries.filter((s) => s.contender === 'gateway');
  const persisted = (s: Summary) =>
    summaries.find((p) => p.contender === 'gateway-persisted' && p.workload === s.workload && p.connections === s.connections);
  const verdict = (s: Summary | undefined, target: Target | undefined) =>
    !verdicts || !s?.ratio || !target ? '' : s.ratio.median >= target.minRatio ? ' ✓' : ' ✗';
  return [
    '| workload | connections | gateway / floor | persisted / floor | target |',
    '|---|---:|---:|---:|---|',
    ...rows.map((s) => {
      const target = targetFor(s.workload, s.connections);
      const p = persisted(s);
      return `| ${s.workload} | ${s.connections} | ${s.ratio ? fmtSpread(s.ratio, 2) : '–'}${verdict(s, target)} | ${p?.ratio ? fmtSpread(p.ratio, 2) + verdict(p, target) : 'not run'} | ${target ? `≥ ${target.minRatio.toFixed(2)}` : ''} |`;
    }),
  ].join('\n');
}

export function detailTable(summaries: Summary[]): string {
  return [
    '| workload | conns | server | rounds | req/s median (min–max) | p50 ms | p99 ms | errors | server CPU ms/req | PostgreSQL CPU ms/req | load generator CPU ms/req | RSS MB |',
    '|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...summaries.map(
      (s) =>
        `| ${s.workload} | ${s.connections} | ${s.contender} | ${s.rounds} | ${fmtSpread(s.rps)} | ${fmt(s.p50Ms, 1)} | ${fmt(s.p99Ms, 1)} | ${s.errors} | ${fmt(s.serverCpuMsPerRequest, 3)} | ${fmt(s.postgresCpuMsPerRequest, 3)} | ${fmt(s.clientCpuMsPerRequest, 3)} | ${fmt(s.maxRssMb)} |`,
    ),
  ].join('\n');
}

export function markdownReport(info: RunInfo, summaries: Summary[]): string {
  const gatewayRss = Math.max(0, ...summaries.filter((s) => s.contender !== 'floor').map((s) => s.maxRssMb));
  return [
    `## ${info.mode === 'quick' ? 'Quick run (proves the harness; not for timing)' : 'Full run'}: ${info.date}`,
    '',
    `- Machine: ${info.machine}`,
    `- Versions: ${info.versions}`,
    `- Commit: ${info.commit}`,
    `- Dataset: ${info.dataset}`,
    `- Settings: ${info.settings}`,
    `- Gateway RSS under load: ${fmt(gatewayRss)} MB (limit ${RSS_LIMIT_MB} MB)`,
    '',
    '### Gateway / floor throughput ratio (median of back-to-back rounds, min–max)',
    '',
    ratioTable(summaries, info.mode === 'full'),
    '',
    '### Per server',
    '',
    detailTable(summaries),
    '',
    ...(info.notes.length ? ['### Notes', '', ...info.notes.map((n) => `- ${n}`), ''] : []),
  ].join('\n');
}
