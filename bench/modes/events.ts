// --events: live context under load. Two gateway processes on one database; subscribers (most
// over SSE, a share over WebSocket) follow the busy customers, spread over both; a writer runs the
// W2/W3 mix at a steady rate through both. Then one gateway is killed (SIGKILL) mid-run and its
// subscribers reconnect to the other with `after`. Every subscriber's events are checked against
// the outbox (the truth): expected vs delivered, lost, duplicated, out of order; plus
// commit-to-delivery latency, the rate held, and the gateways' RSS and CPU per delivered event.
import { createClient } from 'graphql-ws';
import pg from 'pg';
import WebSocket from 'ws';
import { registerExtensionSchemas } from '../extension-schemas.js';
import { processCpuMs, rssMb, type Server } from '../processes.js';
import { overHttp } from '../verify.js';
import { W2_DOCUMENT } from '../workloads/w2.js';
import { W3_DOCUMENT } from '../workloads/w3.js';
import type { Mode, ModeResult, RunContext } from './mode.js';

const FOLLOW = `subscription Follow($customerId: String, $after: String) {
  contextEvents(customerId: $customerId, after: $after) { eventId type occurredAt serviceId stateId service { serviceId status } }
}`;

interface Follower {
  customerId: string;
  transport: 'sse' | 'ws';
  gateway: number;
  ids: string[];
  /** Commit to receipt of events delivered live. */
  latencies: number[];
  /** The same for events replayed after a reconnection (committed while it was away). */
  replayed: number[];
  reconnected: boolean;
  /** When it reconnected (ms since the epoch). */
  reconnectedAt?: number;
  /** Ends the current connection. */
  stop(): void;
}

const position = (eventId: string) => eventId.split('.').map(BigInt) as [bigint, bigint];
const after = (a: string, b: string) => {
  const [x, y] = position(a);
  const [u, v] = position(b);
  return x !== u ? x > u : y > v;
};

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Follows over SSE until stopped or the stream ends; `onEnd` is told when it ended by itself. */
function followSse(url: string, follower: Follower, resumeFrom: string | undefined, onEnd: () => void): void {
  const controller = new AbortController();
  follower.stop = () => controller.abort();
  void (async () => {
    try {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          ...(resumeFrom && { 'last-event-id': resumeFrom }),
        },
        body: JSON.stringify({ query: FOLLOW, variables: { customerId: follower.customerId } }),
        signal: controller.signal,
      });
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split('\n').find((line) => line.startsWith('data: '));
          if (!data || !block.includes('event: next')) continue;
          receive(follower, JSON.parse(data.slice(6)));
        }
      }
    } catch {
      // aborted, or the gateway went away
    }
    if (!controller.signal.aborted) onEnd();
  })();
}

function followWs(url: string, follower: Follower, resumeFrom: string | undefined, onEnd: () => void): void {
  const client = createClient({ url: `${url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
  let stopped = false;
  follower.stop = () => {
    stopped = true;
    void client.dispose();
  };
  client.subscribe(
    { query: FOLLOW, variables: { customerId: follower.customerId, after: resumeFrom } },
    {
      next: (result) => receive(follower, result),
      error: () => {
        if (!stopped) onEnd();
      },
      complete: () => {
        if (!stopped) onEnd();
      },
    },
  );
}

/** When the gateway was killed (ms since the epoch); latencies before it are kept apart. */
let killedAt = Number.POSITIVE_INFINITY;
const beforeKill: number[] = [];

function receive(follower: Follower, result: { data?: { contextEvents?: { eventId: string; occurredAt: string } } | null }): void {
  const event = result.data?.contextEvents;
  if (!event) return;
  follower.ids.push(event.eventId);
  const committed = Date.parse(event.occurredAt);
  const latency = Date.now() - committed;
  (follower.reconnectedAt !== undefined && committed < follower.reconnectedAt ? follower.replayed : follower.latencies).push(latency);
  if (Date.now() < killedAt) beforeKill.push(latency);
}

async function run(context: RunContext): Promise<ModeResult> {
  const { settings, environment, log, problems } = context;
  const option = (name: string, fallback: number) => Number(context.args[name] ?? fallback);
  const subscribers = option('subscribers', settings.quick ? 100 : 1000);
  const rate = option('rate', settings.quick ? 50 : 200);
  const wsShare = option('ws-share', 0.2);
  const seconds = settings.quick ? Math.min(settings.duration * 10, 20) : option('events-duration', 60);
  const customers = context.dataset.busyCustomers.slice(0, option('customers', 200));
  const declaration = context.servers.find((s) => s.role === 'gateway');
  if (!declaration) throw new Error('--events needs the gateway among --servers');
  await declaration.prepare?.(environment);

  // A metrics token: under NODE_ENV=production /metrics is served only with one.
  const token = 'events-bench-metrics-token';
  const withMetrics = { ...environment, gatewayEnv: { ...environment.gatewayEnv, METRICS_TOKEN: token } };
  const gateways: Server[] = [await context.start(declaration, withMetrics), await context.start(declaration, withMetrics)];
  await registerExtensionSchemas(overHttp(gateways[0].url), environment.databaseUrl);
  const db = new pg.Client({ connectionString: environment.databaseUrl });
  await db.connect();
  const { rows: states } = await db.query<{ service_id: string; state_id: string }>(
    `SELECT st.service_id::text, st.state_id::text FROM state st JOIN service s ON s.service_id = st.service_id
      WHERE s.customer_id = ANY($1) AND st.completed_at IS NULL AND s.completed_at IS NULL`,
    [customers],
  );
  const { rows: mark } = await db.query<{ xid: string; id: string }>(
    'SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xid, 0 AS id',
  );
  const live: (string | undefined)[] = [gateways[0].url, gateways[1].url];

  // Subscribers: customer i % n, gateway alternating, every 1/wsShare-th over WebSocket.
  log(`events: ${subscribers} subscribers on ${customers.length} customers over 2 gateways (${Math.round(wsShare * 100)} % WebSocket)`);
  const followers: Follower[] = [];
  const wsEvery = wsShare > 0 ? Math.round(1 / wsShare) : Number.POSITIVE_INFINITY;
  const connect = (follower: Follower, resumeFrom?: string) => {
    const url = live[follower.gateway]!;
    const onEnd = () => {
      // The gateway died under it: resume on the one that is left, from the last event received.
      const other = live.findIndex((u) => u !== undefined);
      if (other < 0 || follower.reconnected) return;
      follower.reconnected = true;
      follower.reconnectedAt = Date.now() + 100;
      follower.gateway = other;
      setTimeout(() => connect(follower, follower.ids.at(-1) ?? `${mark[0].xid}.0`), 100);
    };
    (follower.transport === 'sse' ? followSse : followWs)(url, follower, resumeFrom, onEnd);
  };
  for (let i = 0; i < subscribers; i++) {
    const follower: Follower = {
      customerId: customers[i % customers.length],
      transport: (i + 1) % wsEvery === 0 ? 'ws' : 'sse',
      gateway: i % 2,
      ids: [],
      latencies: [],
      replayed: [],
      reconnected: false,
      stop: () => {},
    };
    followers.push(follower);
    connect(follower);
    if (i % 50 === 49) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await new Promise((resolve) => setTimeout(resolve, 2_000));

  // The writer: W2 (startService) and W3 (transitionState) alternately, for the followed customers.
  const cpuBefore = gateways.map((g) => processCpuMs(g.pid));
  let writes = 0;
  let failed = 0;
  let next = 0;
  const queue = states.map((s) => ({ serviceId: s.service_id, stateId: s.state_id }));
  const started = performance.now();
  const killAt = started + (seconds * 1000) / 2;
  let killed: { cpuMs: number; rssMb: number } | undefined;
  const inFlight = new Set<Promise<void>>();
  log(`events: writing ${rate}/s for ${seconds} s; killing gateway 2 (SIGKILL) at ${seconds / 2} s`);
  while (performance.now() - started < seconds * 1000) {
    if (!killed && performance.now() >= killAt) {
      killed = { cpuMs: processCpuMs(gateways[1].pid) - cpuBefore[1], rssMb: rssMb(gateways[1].pid) };
      live[1] = undefined;
      killedAt = Date.now();
      gateways[1].child.kill('SIGKILL');
    }
    const target = live[next % 2] ?? live[0]!;
    const n = next++;
    const w3 = n % 2 === 1 && queue.length > 0;
    const state = w3 ? queue.shift()! : undefined;
    const body = state
      ? { query: W3_DOCUMENT, variables: { input: { serviceId: state.serviceId, from: { stateId: state.stateId }, to: {} } } }
      : {
          query: W2_DOCUMENT,
          variables: {
            input: {
              customerId: customers[n % customers.length],
              serviceType: 'hotel-booking',
              extensions: { satisfaction: { score: n % 101, agentID: 1000 + (n % 9000) }, coupon: { coupon_name: `EV-${n}`, discount: 5 } },
            },
          },
        };
    const request = fetch(`${target}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
      .then((r) => r.json() as Promise<{ data?: any; errors?: unknown[] }>)
      .then((reply) => {
        if (reply.errors) failed++;
        else writes++;
        const startedState = reply.data?.transitionState?.started;
        if (startedState) queue.push({ serviceId: startedState.serviceId, stateId: startedState.stateId });
      })
      .catch(() => void failed++)
      .finally(() => inFlight.delete(request));
    inFlight.add(request);
    // Steady rate: the n-th write leaves at n / rate seconds.
    const wait = started + ((n + 1) * 1000) / rate - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - started) / 1000;
  // The survivor's own view: commit to hand-over to the transport (live_event_lag_seconds).
  const metrics = await fetch(`${gateways[0].url}/metrics`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.text());
  const buckets = [...metrics.matchAll(/^live_event_lag_seconds_bucket\{le="([^"]+)"\} (\d+)/gm)].map(
    (m) => [Number(m[1]), Number(m[2])] as const,
  );
  const handed = buckets.at(-1)?.[1] ?? 0;
  const bucketOf = (p: number) => buckets.find(([, count]) => count >= handed * p)?.[0];
  const cpuAfter = processCpuMs(gateways[0].pid) - cpuBefore[0];
  const rss = rssMb(gateways[0].pid);

  // The truth: every event of the followed customers' streams since the subscribers came.
  const { rows: truth } = await db.query<{ customer_id: string; previous_customer_id: string | null; id: string }>(
    `SELECT customer_id, previous_customer_id, xid::text || '.' || event_id::text AS id FROM context_event
      WHERE (customer_id = ANY($1) OR previous_customer_id = ANY($1)) AND xid >= $2::xid8 ORDER BY xid, event_id`,
    [customers, mark[0].xid],
  );
  const expectedBy = new Map<string, string[]>();
  for (const row of truth) {
    for (const customer of new Set([row.customer_id, row.previous_customer_id])) {
      if (customer === null) continue;
      let list = expectedBy.get(customer);
      if (!list) expectedBy.set(customer, (list = []));
      list.push(row.id);
    }
  }
  // Let the last events arrive.
  const expectedTotal = followers.reduce((sum, f) => sum + (expectedBy.get(f.customerId)?.length ?? 0), 0);
  for (let waited = 0; waited < 10_000; waited += 200) {
    if (followers.reduce((sum, f) => sum + new Set(f.ids).size, 0) >= expectedTotal) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  for (const follower of followers) follower.stop();
  await db.end();

  let delivered = 0;
  let duplicates = 0;
  let outOfOrder = 0;
  let lost = 0;
  let lostReconnected = 0;
  const latencies: number[] = [];
  const replayed: number[] = [];
  for (const follower of followers) {
    const expected = expectedBy.get(follower.customerId) ?? [];
    const seen = new Set<string>();
    for (const [i, id] of follower.ids.entries()) {
      if (seen.has(id)) duplicates++;
      seen.add(id);
      if (i > 0 && !after(id, follower.ids[i - 1])) outOfOrder++;
    }
    delivered += follower.ids.length;
    const missing = expected.filter((id) => !seen.has(id)).length;
    lost += missing;
    if (follower.reconnected) lostReconnected += missing;
    latencies.push(...follower.latencies);
    replayed.push(...follower.replayed);
  }
  const reconnected = followers.filter((f) => f.reconnected).length;
  const cpuTotal = cpuAfter + (killed?.cpuMs ?? 0);
  const table = [
    `| | |`,
    `|---|---|`,
    `| subscribers | ${subscribers} (${followers.filter((f) => f.transport === 'sse').length} SSE, ${followers.filter((f) => f.transport === 'ws').length} WebSocket) on ${customers.length} customers, over 2 gateways |`,
    `| writes | ${writes} ok, ${failed} failed, in ${elapsed.toFixed(1)} s: ${(writes / elapsed).toFixed(0)}/s held (target ${rate}/s), W2/W3 alternately through both |`,
    `| events expected / delivered | ${expectedTotal} / ${delivered} |`,
    `| lost / duplicated / out of order | ${lost} / ${duplicates} / ${outOfOrder} |`,
    `| killed gateway: subscribers reconnected with after / lost | ${reconnected} / ${lostReconnected} |`,
    `| commit-to-delivery latency, live events: p50 / p99 / max | ${percentile(latencies, 50).toFixed(0)} / ${percentile(latencies, 99).toFixed(0)} / ${percentile(latencies, 100).toFixed(0)} ms (${latencies.length} deliveries) |`,
    `| the same, received before the kill | ${percentile(beforeKill, 50).toFixed(0)} / ${percentile(beforeKill, 99).toFixed(0)} / ${percentile(beforeKill, 100).toFixed(0)} ms (${beforeKill.length}) |`,
    `| the same, events replayed after the kill (committed while their subscriber was away) | ${percentile(replayed, 50).toFixed(0)} / ${percentile(replayed, 99).toFixed(0)} / ${percentile(replayed, 100).toFixed(0)} ms (${replayed.length}) |`,
    `| the survivor's lag from commit to hand-over, replays included: p50 / p99 bucket (live_event_lag_seconds) | ≤ ${bucketOf(0.5)} s / ≤ ${bucketOf(0.99)} s |`,
    `| gateway RSS at end (survivor / killed one at kill) | ${rss.toFixed(0)} MB / ${killed?.rssMb.toFixed(0) ?? '-'} MB |`,
    `| gateway CPU per delivered event (both) | ${((cpuTotal * 1000) / Math.max(1, delivered)).toFixed(0)} µs |`,
  ];
  if (lost) problems.push(`events: ${lost} events lost (${lostReconnected} by subscribers that reconnected after the kill)`);
  if (duplicates) problems.push(`events: ${duplicates} duplicates`);
  if (outOfOrder) problems.push(`events: ${outOfOrder} out of order`);
  if (!killed) problems.push('events: the run ended before the kill');
  const markdown = [
    `## Live context: ${subscribers} subscribers, ${rate} writes/s, one gateway killed at ${seconds / 2} s`,
    '',
    ...table,
    '',
  ].join('\n');
  log(markdown);
  return {
    markdown,
    json: {
      subscribers,
      customers: customers.length,
      rate,
      seconds: elapsed,
      writes,
      failed,
      expected: expectedTotal,
      delivered,
      lost,
      lostReconnected,
      duplicates,
      outOfOrder,
      reconnected,
      latencyMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: percentile(latencies, 100) },
      beforeKillLatencyMs: { p50: percentile(beforeKill, 50), p99: percentile(beforeKill, 99), max: percentile(beforeKill, 100) },
      replayedLatencyMs: {
        p50: percentile(replayed, 50),
        p99: percentile(replayed, 99),
        max: percentile(replayed, 100),
        count: replayed.length,
      },
      rssMb: { survivor: rss, killed: killed?.rssMb },
      cpuUsPerEvent: (cpuTotal * 1000) / Math.max(1, delivered),
    },
  };
}

export const events: Mode = {
  name: 'events',
  flag: 'events',
  help: `  --events              live context: two gateways, subscribers (SSE and a share over WebSocket)
                        following the busy customers, W2/W3 writes at a steady rate, one gateway
                        killed mid-run; --subscribers N (1000; quick 100), --rate N writes/s (200;
                        quick 50), --customers N (200), --ws-share F (0.2), --events-duration S (60)`,
  options: {
    events: { type: 'boolean', default: false },
    subscribers: { type: 'string' },
    rate: { type: 'string' },
    customers: { type: 'string' },
    'ws-share': { type: 'string' },
    'events-duration': { type: 'string' },
  },
  defaultWorkloads: [],
  run,
};
