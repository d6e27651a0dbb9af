// Turns the rounds into the report: for each workload and connection count, every server's req/s
// median (min–max) and its ratio to the floor and to the gateway, each the median of the ratios
// of rounds run back to back in the same cycle, so drift in machine load cancels out.
import type { RoundResult } from './load.js';

export interface Spread {
  median: number;
  min: number;
  max: number;
}

export interface Summary {
  workload: string;
  connections: number;
  server: string;
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
  /** This server's req/s over the floor's, cycle by cycle. */
  toFloor?: Spread;
  /** The gateway's req/s over this server's, cycle by cycle: how many times faster the gateway is. */
  gatewayOver?: Spread;
}

/** The server names playing each role in a run. */
export interface Roles {
  floor?: string;
  gateway?: string;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const spread = (values: number[]): Spread => ({ median: median(values), min: Math.min(...values), max: Math.max(...values) });
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** Ratios `of / to` of the rounds of the same cycle, or undefined when no cycle has both. */
function pairedRatios(of: RoundResult[], to: RoundResult[]): Spread | undefined {
  const byCycle = new Map(to.map((r) => [r.cycle, r.rps]));
  const ratios = of.filter((r) => byCycle.get(r.cycle)).map((r) => r.rps / byCycle.get(r.cycle)!);
  return ratios.length ? spread(ratios) : undefined;
}

export function summarise(rounds: RoundResult[], roles: Roles): Summary[] {
  const groups = new Map<string, RoundResult[]>();
  for (const round of rounds) {
    const key = `${round.workload}|${round.connections}|${round.server}`;
    groups.set(key, [...(groups.get(key) ?? []), round]);
  }
  const roundsOf = (workload: string, connections: number, server: string | undefined) =>
    groups.get(`${workload}|${connections}|${server}`) ?? [];
  return [...groups.values()].map((group) => {
    const { workload, connections, server } = group[0];
    const requests = sum(group.map((r) => r.requests));
    const perRequest = (ms: number) => (requests ? ms / requests : NaN);
    return {
      workload,
      connections,
      server,
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
      toFloor: server === roles.floor ? undefined : pairedRatios(group, roundsOf(workload, connections, roles.floor)),
      gatewayOver: server === roles.gateway ? undefined : pairedRatios(roundsOf(workload, connections, roles.gateway), group),
    };
  });
}

export const fmt = (n: number, digits = 0) =>
  Number.isFinite(n) ? n.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '–';
export const fmtSpread = (s: Spread, digits = 0) => `${fmt(s.median, digits)} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`;

export interface ServerColumn {
  name: string;
  title: string;
}

const find = (summaries: Summary[], workload: string, connections: number, server: string) =>
  summaries.find((s) => s.workload === workload && s.connections === connections && s.server === server);

/** Workload × server: req/s and ratio to the floor, at one connection count. */
export function throughputTable(summaries: Summary[], servers: ServerColumn[], workloads: string[], connections: number): string {
  const cell = (s: Summary | undefined) => (!s ? 'not run' : `${fmt(s.rps.median)}${s.toFloor ? ` (${fmt(s.toFloor.median, 2)})` : ''}`);
  return [
    `| ${connections} connections | ${servers.map((s) => s.title).join(' | ')} |`,
    `|---|${servers.map(() => '---:').join('|')}|`,
    ...workloads.map((w) => `| ${w} | ${servers.map((s) => cell(find(summaries, w, connections, s.name))).join(' | ')} |`),
  ].join('\n');
}

/** How many times the gateway's req/s each other server's is, with the targets. */
export function gatewayOverTable(
  summaries: Summary[],
  servers: ServerColumn[],
  workloads: string[],
  connectionCounts: number[],
  targetFor: (server: string, workload: string, connections: number) => number | undefined,
): string {
  const rows = workloads.flatMap((w) => connectionCounts.map((c) => [w, c] as const));
  const cell = (server: string, workload: string, connections: number) => {
    const s = find(summaries, workload, connections, server);
    if (!s?.gatewayOver) return '–';
    const target = targetFor(server, workload, connections);
    const verdict = target === undefined ? '' : s.gatewayOver.median >= target ? ` ✓ (≥ ${target})` : ` ✗ (≥ ${target})`;
    return `${fmtSpread(s.gatewayOver, 2)}${verdict}`;
  };
  return [
    `| workload | connections | ${servers.map((s) => `gateway ÷ ${s.title}`).join(' | ')} |`,
    `|---|---:|${servers.map(() => '---:').join('|')}|`,
    ...rows.map(([w, c]) => `| ${w} | ${c} | ${servers.map((s) => cell(s.name, w, c)).join(' | ')} |`),
  ].join('\n');
}

export function detailTable(summaries: Summary[]): string {
  return [
    '| workload | conns | server | rounds | req/s median (min–max) | ÷ floor | p50 ms | p99 ms | errors | server CPU ms/req | PostgreSQL CPU ms/req | load generator CPU ms/req | RSS MB |',
    '|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...summaries.map(
      (s) =>
        `| ${s.workload} | ${s.connections} | ${s.server} | ${s.rounds} | ${fmtSpread(s.rps)} | ${s.toFloor ? fmtSpread(s.toFloor, 2) : ''} | ${fmt(s.p50Ms, 1)} | ${fmt(s.p99Ms, 1)} | ${s.errors} | ${fmt(s.serverCpuMsPerRequest, 3)} | ${fmt(s.postgresCpuMsPerRequest, 3)} | ${fmt(s.clientCpuMsPerRequest, 3)} | ${fmt(s.maxRssMb)} |`,
    ),
  ].join('\n');
}

/** The highest RSS each server reached under load, over the whole run. */
export function rssByServer(summaries: Summary[]): Map<string, number> {
  const rss = new Map<string, number>();
  for (const s of summaries) rss.set(s.server, Math.max(rss.get(s.server) ?? 0, s.maxRssMb));
  return rss;
}
