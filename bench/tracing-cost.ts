// What OpenTelemetry tracing costs per request. One embedded PostgreSQL and dataset; for each
// round a fresh gateway process, alternately without OTEL_EXPORTER_OTLP_ENDPOINT and exporting to
// a loopback OTLP receiver (in the parent) that drops what it gets. A process of its own per mode,
// because tracing installs a process-wide context manager that would tax the other mode too. Each
// child drives its gateway in-process (yoga.fetch, 8 requests in flight) for the read and the
// write, and reports requests per second and its CPU per request. Results on stdout.
//   npx tsx bench/tracing-cost.ts [--rounds 6] [--seconds 4]
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { createLogger } from '../src/logger.js';
import { createGateway, type Gateway } from '../src/server/yoga.js';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '6' },
    seconds: { type: 'string', default: '4' },
    child: { type: 'string' },
  },
});
const SECONDS = Number(args.seconds);
const IN_FLIGHT = 8;
const KINDS = ['read', 'write'] as const;
type Kind = (typeof KINDS)[number];

const READ = `query Desk($c: String!) { customer(customerId: $c) { customerId attributes
  services(status: ACTIVE) { nodes { serviceId status states { nodes { stateId status tasks { nodes { taskId status } } } } } } } }`;
const WRITE = `mutation Start($input: StartServiceInput!) { startService(input: $input) { service { serviceId status } } }`;

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

/** A child: one gateway (env as given), a warm-up then a measured run of each kind; JSON on stdout. */
async function child(): Promise<void> {
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  const logger = createLogger('silent');
  const db = await openDatabase(config, logger);
  const gateway = createGateway({ db, config, logger });
  const run = async (kind: Kind, seconds: number) => {
    let done = 0;
    const until = performance.now() + seconds * 1000;
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
    const used = process.cpuUsage(cpu);
    return { rps: done / ((performance.now() - started) / 1000), cpuUsPerRequest: (used.user + used.system) / done };
  };
  const results: Record<string, unknown> = {};
  for (const kind of KINDS) {
    await run(kind, 1);
    results[kind] = await run(kind, SECONDS);
  }
  await gateway.dispose();
  await db.close();
  console.log(JSON.stringify(results));
}

async function parent(): Promise<void> {
  const receiver = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tracing-cost-'));
  const logger = createLogger('silent');
  // The embedded server, kept by this process; children reach it by URL.
  const { startEmbeddedDatabase } = await import('../src/db/embedded.js');
  const server = await startEmbeddedDatabase(dir);
  const config = loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: server.connectionString });
  const db = await openDatabase(config, logger);
  const seeder = createGateway({ db, config, logger });
  // One customer with 5 active services, each with a state holding 2 tasks.
  for (let i = 0; i < 5; i++) {
    const { serviceId } = (await post(seeder, 'mutation { startService(input: { customerId: "C1" }) { service { serviceId } } }'))
      .startService.service;
    const { stateId } = (await post(seeder, `mutation { startState(input: { serviceId: "${serviceId}" }) { state { stateId } } }`))
      .startState.state;
    for (let t = 0; t < 2; t++) {
      await post(seeder, `mutation { startTask(input: { serviceId: "${serviceId}", stateId: "${stateId}" }) { task { taskId } } }`);
    }
  }
  await db.close();

  const results: { mode: string; kind: Kind; rps: number; cpuUsPerRequest: number }[] = [];
  for (let round = 0; round < Number(args.rounds); round++) {
    // Alternating, the order flipped every round, so a shared machine's drifts hit both modes.
    for (const mode of round % 2 ? ['on', 'off'] : ['off', 'on']) {
      // Not spawnSync: this process answers the child's OTLP exports meanwhile.
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [...process.execArgv, import.meta.filename, '--child', mode, '--seconds', String(SECONDS)],
        {
          env: { ...process.env, DATABASE_URL: server.connectionString, ...(mode === 'on' && { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint }) },
        },
      );
      const measured = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<Kind, { rps: number; cpuUsPerRequest: number }>;
      for (const kind of KINDS) {
        results.push({ mode, kind, ...measured[kind] });
        console.log(
          `round ${round + 1} ${kind} ${mode.padEnd(3)}: ${measured[kind].rps.toFixed(0)} req/s, ${measured[kind].cpuUsPerRequest.toFixed(0)} µs CPU/request`,
        );
      }
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  for (const kind of KINDS) {
    const of = (mode: string, key: 'rps' | 'cpuUsPerRequest') =>
      results.filter((r) => r.kind === kind && r.mode === mode).map((r) => r[key]);
    const range = (values: number[]) => `${Math.min(...values).toFixed(0)}-${Math.max(...values).toFixed(0)}`;
    const [offCpu, onCpu] = [median(of('off', 'cpuUsPerRequest')), median(of('on', 'cpuUsPerRequest'))];
    const [offRps, onRps] = [median(of('off', 'rps')), median(of('on', 'rps'))];
    console.log(
      `${kind}: median CPU/request ${offCpu.toFixed(0)} µs off, ${onCpu.toFixed(0)} µs on (+${(onCpu - offCpu).toFixed(0)} µs; ranges ` +
        `${range(of('off', 'cpuUsPerRequest'))} and ${range(of('on', 'cpuUsPerRequest'))}); median ${offRps.toFixed(0)} and ${onRps.toFixed(0)} req/s`,
    );
  }
  await server.stop();
  receiver.close();
  await rm(dir, { recursive: true, force: true });
}

await (args.child ? child() : parent());
