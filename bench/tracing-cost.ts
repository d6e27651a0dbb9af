// What OpenTelemetry tracing costs per request: two gateways on one embedded PostgreSQL, one
// without OTEL_EXPORTER_OTLP_ENDPOINT and one exporting to a loopback OTLP receiver that drops
// what it gets, driven in-process (yoga.fetch, 8 requests in flight) in alternating rounds. Per
// round: requests per second and the gateway process's CPU per request (the receiver's share is
// a body drained and a 200). Results on stdout.
//   npx tsx bench/tracing-cost.ts [--rounds 5] [--seconds 5]
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { createLogger } from '../src/logger.js';
import { createGateway, type Gateway } from '../src/server/yoga.js';

const { values: args } = parseArgs({ options: { rounds: { type: 'string', default: '5' }, seconds: { type: 'string', default: '5' } } });
const ROUNDS = Number(args.rounds);
const SECONDS = Number(args.seconds);
const IN_FLIGHT = 8;

const READ = `query Desk($c: String!) { customer(customerId: $c) { customerId attributes
  services(status: ACTIVE) { nodes { serviceId status states { nodes { stateId status tasks { nodes { taskId status } } } } } } } }`;
const WRITE = `mutation Start($input: StartServiceInput!) { startService(input: $input) { service { serviceId status } } }`;

const receiver = createServer((request, response) => {
  request.resume();
  request.on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

const dir = await mkdtemp(path.join(os.tmpdir(), 'tracing-cost-'));
const base = { LOG_LEVEL: 'silent', DATA_DIR: dir, DB_POOL_SIZE: '10' };
const logger = createLogger('silent');
const db = await openDatabase(loadConfig(base), logger);
const gateways: Record<'off' | 'on', Gateway> = {
  off: createGateway({ db, config: loadConfig(base), logger }),
  on: createGateway({ db, config: loadConfig({ ...base, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint }), logger }),
};

async function post(gateway: Gateway, query: string, variables: object = {}): Promise<any> {
  const response = await gateway.fetch('http://gateway/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: any; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

// One customer with 5 active services, each with a state holding 2 tasks.
for (let i = 0; i < 5; i++) {
  const { serviceId } = (await post(gateways.off, 'mutation { startService(input: { customerId: "C1" }) { service { serviceId } } }'))
    .startService.service;
  const { stateId } = (await post(gateways.off, `mutation { startState(input: { serviceId: "${serviceId}" }) { state { stateId } } }`))
    .startState.state;
  for (let t = 0; t < 2; t++) {
    await post(gateways.off, `mutation { startTask(input: { serviceId: "${serviceId}", stateId: "${stateId}" }) { task { taskId } } }`);
  }
}

async function round(gateway: Gateway, kind: 'read' | 'write'): Promise<{ rps: number; cpuUsPerRequest: number }> {
  let done = 0;
  const until = performance.now() + SECONDS * 1000;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (performance.now() < until) {
        await (kind === 'read' ? post(gateway, READ, { c: 'C1' }) : post(gateway, WRITE, { input: { customerId: 'C2' } }));
        done++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return { rps: done / elapsed, cpuUsPerRequest: (used.user + used.system) / done };
}

const results: { kind: string; mode: string; rps: number; cpuUsPerRequest: number }[] = [];
for (const kind of ['read', 'write'] as const) {
  for (const mode of ['off', 'on'] as const) await round(gateways[mode], kind); // warm-up
  for (let r = 0; r < ROUNDS; r++) {
    // Alternating, and the order flipped every round, so drifts of a shared machine hit both.
    for (const mode of r % 2 ? (['on', 'off'] as const) : (['off', 'on'] as const)) {
      const result = await round(gateways[mode], kind);
      results.push({ kind, mode, ...result });
      console.log(
        `${kind} ${mode.padEnd(3)} round ${r + 1}: ${result.rps.toFixed(0)} req/s, ${result.cpuUsPerRequest.toFixed(0)} µs CPU/request`,
      );
    }
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
for (const kind of ['read', 'write']) {
  const of = (mode: string, key: 'rps' | 'cpuUsPerRequest') => results.filter((r) => r.kind === kind && r.mode === mode).map((r) => r[key]);
  const [offCpu, onCpu] = [median(of('off', 'cpuUsPerRequest')), median(of('on', 'cpuUsPerRequest'))];
  const [offRps, onRps] = [median(of('off', 'rps')), median(of('on', 'rps'))];
  console.log(
    `${kind}: median ${offRps.toFixed(0)} -> ${onRps.toFixed(0)} req/s (${(((onRps - offRps) / offRps) * 100).toFixed(1)} %), ` +
      `${offCpu.toFixed(0)} -> ${onCpu.toFixed(0)} µs CPU/request (+${(onCpu - offCpu).toFixed(0)} µs); ` +
      `CPU/request ranges off ${Math.min(...of('off', 'cpuUsPerRequest')).toFixed(0)}-${Math.max(...of('off', 'cpuUsPerRequest')).toFixed(0)}, ` +
      `on ${Math.min(...of('on', 'cpuUsPerRequest')).toFixed(0)}-${Math.max(...of('on', 'cpuUsPerRequest')).toFixed(0)}`,
  );
}

await Promise.all([gateways.on.dispose(), gateways.off.dispose()]);
await db.close();
receiver.close();
await rm(dir, { recursive: true, force: true });
