// The plans of the statements a server sends for each workload, as PostgreSQL ran them: auto_explain
// logs EXPLAIN (ANALYZE, BUFFERS) of every statement of the connections opened while it is set on
// the database, and the server is started alone meanwhile. A sequential scan of one of the big
// tables means the per-request cost grows with the data.
import pg from 'pg';
import type { RunContext } from './modes/mode.js';
import type { ServerDeclaration } from './servers/server.js';
import { overHttp, type Send } from './verify.js';
import type { Workload } from './workloads/workload.js';

export interface CapturedPlan {
  workload: string;
  query: string;
  plan: string;
  durationMs: number;
  /** Tables of the dataset read by a sequential scan. */
  seqScans: string[];
  /** Shared buffers hit and read by the whole statement (the top node's). */
  buffers: { hit: number; read: number };
}

const BIG_TABLES = ['customer', 'service', 'state', 'task'];
const SETTINGS = {
  session_preload_libraries: 'auto_explain',
  'auto_explain.log_min_duration': '0',
  'auto_explain.log_analyze': 'on',
  'auto_explain.log_buffers': 'on',
  'auto_explain.log_format': 'text',
};

/** auto_explain's messages in a stretch of server log: "duration: 0.1 ms  plan:" then tab-indented lines. */
export function parsePlans(log: string, workload: string): CapturedPlan[] {
  const plans: CapturedPlan[] = [];
  const messages = log.split(/\n(?=\S)/);
  for (const message of messages) {
    const head = /duration: ([\d.]+) ms {2}plan:\n/.exec(message);
    if (!head) continue;
    const lines = message
      .slice(head.index + head[0].length)
      .split('\n')
      .map((line) => line.replace(/^\t/, ''));
    const planStart = lines.findIndex((line) => /\(cost=|\(actual /.test(line));
    if (planStart < 0) continue;
    const query = lines
      .slice(0, planStart)
      .join('\n')
      .replace(/^Query Text: /, '')
      .trim();
    const plan = lines.slice(planStart).join('\n').trimEnd();
    const seqScans = [...plan.matchAll(/Seq Scan on (\w+)/g)].map((m) => m[1]).filter((table) => BIG_TABLES.includes(table));
    const top = /Buffers: shared((?: hit=\d+)?(?: read=\d+)?)/.exec(plan)?.[1] ?? '';
    plans.push({
      workload,
      query,
      plan,
      durationMs: Number(head[1]),
      seqScans: [...new Set(seqScans)],
      buffers: { hit: Number(/hit=(\d+)/.exec(top)?.[1] ?? 0), read: Number(/read=(\d+)/.exec(top)?.[1] ?? 0) },
    });
  }
  return plans;
}

async function onDatabase(url: string, statements: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * Starts `server` alone with auto_explain on, sends `samples` requests of each workload one at a
 * time, and returns, per workload, the plan of each distinct statement of its last request.
 */
export async function capturePlans(
  context: RunContext,
  server: ServerDeclaration,
  workloads: Workload[],
  samples: number,
  beforeRequests: (send: Send) => Promise<unknown> = async () => {},
): Promise<CapturedPlan[]> {
  const url = context.environment.databaseUrl;
  const database = `"${new URL(url).pathname.slice(1)}"`;
  await onDatabase(
    url,
    Object.entries(SETTINGS).map(([name, value]) => `ALTER DATABASE ${database} SET ${name} = '${value}'`),
  );
  let log = '';
  const stopFollowing = context.followPostgresLog((text) => (log += text));
  const running = await context.start(server);
  const plans: CapturedPlan[] = [];
  try {
    const send = overHttp(running.url);
    await beforeRequests(send);
    for (const workload of workloads) {
      const exchange = server.exchange(workload);
      if (!exchange) continue;
      const source = workload.source('plans');
      let last: CapturedPlan[] = [];
      for (let i = 0; i < samples; i++) {
        const variables = source.next();
        if (!variables) break;
        log = '';
        const reply = await send(exchange.request(variables));
        if (!exchange.ok(reply.status, reply.body)) {
          context.problems.push(`plans: ${workload.name} failed on ${server.name}: HTTP ${reply.status} ${reply.body.slice(0, 200)}`);
          break;
        }
        source.onData?.(exchange.read(reply.body));
        // The server writes its log a moment after the statement returns.
        await new Promise((r) => setTimeout(r, 100));
        last = parsePlans(log, workload.name);
      }
      plans.push(...last);
    }
  } finally {
    stopFollowing();
    await running.stop();
    await onDatabase(
      url,
      Object.keys(SETTINGS).map((name) => `ALTER DATABASE ${database} RESET ${name}`),
    );
  }
  return plans;
}

export function plansMarkdown(plans: CapturedPlan[]): string {
  if (!plans.length) return 'No plan was captured.';
  const summary = [
    '| workload | statement | execution ms | shared buffers hit / read | sequential scans of the big tables |',
    '|---|---|---:|---:|---|',
    ...plans.map(
      (p) =>
        `| ${p.workload} | \`${p.query.replace(/\s+/g, ' ').slice(0, 70)}…\` | ${p.durationMs.toFixed(3)} | ${p.buffers.hit} / ${p.buffers.read} | ${p.seqScans.length ? p.seqScans.join(', ') : 'none'} |`,
    ),
  ];
  const details = plans.flatMap((p) => ['', `#### ${p.workload}: ${p.durationMs.toFixed(3)} ms`, '', '```', p.plan, '```']);
  return [...summary, ...details].join('\n');
}
