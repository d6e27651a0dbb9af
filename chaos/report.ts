// The run's figures against the targets of a gateway that never needs a human, as a Markdown
// table: one row per figure, with its target and whether it was met.
import type { CrashKind, CrashResult } from './crashes.js';
import type { FloodResult } from './flood.js';
import type { FreezeResult } from './freeze.js';

export interface Targets {
  /** Longest a request may wait for the database (the gateway's configured timeout), in ms. */
  timeoutMs: number;
  readySeconds: number;
  readyProbeMs: number;
  memoryGrowth: number;
}

export const TARGETS: Omit<Targets, 'timeoutMs'> = { readySeconds: 5, readyProbeMs: 2000, memoryGrowth: 0.2 };

export interface Row {
  figure: string;
  measured: string;
  target: string;
  met: boolean;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function crashRows(kind: CrashKind, results: CrashResult[]): Row[] {
  const mine = results.filter((r) => r.kind === kind);
  const acknowledged = mine.reduce((sum, r) => sum + r.acknowledged, 0);
  const lost = mine.reduce((sum, r) => sum + r.lost, 0);
  const humans = mine.filter((r) => r.readySeconds === null).length;
  const worst = Math.max(...mine.map((r) => r.readySeconds ?? Number.POSITIVE_INFINITY));
  const label = `kill -9 of ${kind === 'both' ? 'gateway and PostgreSQL' : kind === 'gateway' ? 'the gateway' : 'PostgreSQL'}`;
  return [
    { figure: `${label}: writes lost / acknowledged`, measured: `${lost} / ${acknowledged}`, target: '0 lost', met: lost === 0 },
    {
      figure: `${label}: needing a human / crashes`,
      measured: `${humans} / ${mine.length}`,
      target: '0',
      met: humans === 0,
    },
    {
      figure: `${label}: seconds to ready (worst)`,
      measured: Number.isFinite(worst) ? `${worst.toFixed(1)} s` : 'never without a human',
      target: `≤ ${TARGETS.readySeconds} s`,
      met: worst <= TARGETS.readySeconds,
    },
  ];
}

export function rows(crashes: CrashResult[], freeze: FreezeResult, flood: FloodResult, timeoutMs: number): Row[] {
  const bound = timeoutMs + 1000;
  const growth = flood.rssEndMb / flood.rssStartMb - 1;
  return [
    ...(['gateway', 'postgres', 'both'] as const).flatMap((kind) => crashRows(kind, crashes)),
    {
      figure: 'PostgreSQL frozen: worst answer while frozen',
      measured: `${seconds(freeze.worstDuringMs)} (${Object.entries(freeze.statuses)
        .map(([status, n]) => `${n}× ${status === '0' ? 'none' : status}`)
        .join(', ')})`,
      target: `≤ ${seconds(bound)} (timeout + 1 s)`,
      met: freeze.worstDuringMs <= bound,
    },
    {
      figure: 'PostgreSQL frozen: worst /ready while frozen',
      measured: seconds(freeze.worstReadyMs),
      target: `≤ ${seconds(TARGETS.readyProbeMs)}`,
      met: freeze.worstReadyMs <= TARGETS.readyProbeMs,
    },
    {
      figure: 'PostgreSQL back: worst answer after',
      measured: seconds(freeze.worstAfterMs),
      target: `≤ ${seconds(bound)}`,
      met: freeze.worstAfterMs <= bound,
    },
    {
      figure: `${flood.requests} hostile requests: 5xx (without request id)`,
      measured: `${flood.serverErrors} (${flood.serverErrorsWithoutId})`,
      target: '0',
      met: flood.serverErrors === 0,
    },
    {
      figure: `${flood.requests} hostile requests: crashes / unanswered`,
      measured: `${flood.crashes} / ${flood.unanswered}`,
      target: '0 / 0',
      met: flood.crashes === 0 && flood.unanswered === 0,
    },
    {
      figure: `${flood.requests} hostile requests: answers echoing originalError`,
      measured: String(flood.leaks),
      target: '0',
      met: flood.leaks === 0,
    },
    {
      figure: `${flood.requests} hostile requests: RSS start → peak → after`,
      measured: `${flood.rssStartMb.toFixed(0)} → ${flood.rssPeakMb.toFixed(0)} → ${flood.rssEndMb.toFixed(0)} MB (${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(0)} %)`,
      target: `≤ +${TARGETS.memoryGrowth * 100} %`,
      met: growth <= TARGETS.memoryGrowth,
    },
  ];
}

export function markdown(table: Row[]): string {
  const lines = ['| figure | measured | target | met |', '| --- | --- | --- | --- |'];
  for (const row of table) lines.push(`| ${row.figure} | ${row.measured} | ${row.target} | ${row.met ? 'yes' : '**no**'} |`);
  return lines.join('\n');
}

/** Per kind of hostile request, its answers by status: where any 5xx came from. */
export function floodDetail(flood: FloodResult): string {
  const lines = ['| hostile request | answers by HTTP status |', '| --- | --- |'];
  for (const [kind, statuses] of Object.entries(flood.byKind).sort()) {
    const text = Object.entries(statuses)
      .map(([status, n]) => `${status === '0' ? 'none' : status}: ${n}`)
      .join(', ');
    lines.push(`| ${kind} | ${text} |`);
  }
  return lines.join('\n');
}
