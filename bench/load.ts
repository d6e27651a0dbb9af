// One timed round: autocannon on loopback against one server, with a fresh request per request
// drawn from the workload's source, and the CPU time that server and PostgreSQL spent meanwhile
// read from /proc before and after.
import autocannon from 'autocannon';
import { postgresCpuMs, processCpuMs, rssMb } from './processes.js';
import { type Exchange, JSON_HEADERS, type Workload } from './workloads/workload.js';

/** Who answers a round: a running server, asked in its own form. */
export interface Contender {
  name: string;
  url: string;
  pid: number;
  exchange: Exchange;
}

export interface RoundResult {
  workload: string;
  server: string;
  connections: number;
  cycle: number;
  requests: number;
  seconds: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Connection errors, timeouts, and answers that are not 200 or carry GraphQL errors. */
  errors: number;
  errorDetail: { connection: number; timeouts: number; failedAnswers: number; noInput: number };
  serverCpuMs: number;
  postgresCpuMs: number;
  /** The load generator's own CPU (it shares the machine). */
  clientCpuMs: number;
  maxRssMb: number;
}

export interface RoundSpec {
  workload: Workload;
  contender: Contender;
  connections: number;
  seconds: number;
  seed: string;
  postmasterPid: number;
  cycle: number;
}

export async function runRound(spec: RoundSpec): Promise<RoundResult> {
  const { workload, contender } = spec;
  const { exchange } = contender;
  const source = workload.source(spec.seed);
  let noInput = 0;
  let failed = 0;
  let maxRssMb = rssMb(contender.pid);
  const sampler = setInterval(() => (maxRssMb = Math.max(maxRssMb, rssMb(contender.pid))), 250);
  const before = { server: processCpuMs(contender.pid), postgres: postgresCpuMs(spec.postmasterPid), client: process.cpuUsage() };
  const result = await autocannon({
    url: contender.url,
    connections: spec.connections,
    duration: spec.seconds,
    headers: JSON_HEADERS,
    requests: [
      {
        setupRequest(request) {
          const variables = source.next();
          // An exhausted source sends an empty body, which the server rejects: counted, never silent.
          if (!variables) {
            noInput++;
            return { ...request, method: 'POST', body: '{}' };
          }
          const { method, path, body, headers } = exchange.request(variables);
          return { ...request, method, path, body, headers: headers ? { ...request.headers, ...headers } : request.headers };
        },
        onResponse(status, body) {
          if (!exchange.ok(status, body)) failed++;
          // Parsed only for workloads that learn from answers (W3).
          else source.onData?.(exchange.read(body));
        },
      },
    ],
  });
  clearInterval(sampler);
  const client = process.cpuUsage(before.client);
  const serverCpuMs = processCpuMs(contender.pid) - before.server;
  const pgCpuMs = postgresCpuMs(spec.postmasterPid) - before.postgres;
  const seconds = (result.finish.getTime() - result.start.getTime()) / 1000;
  const requests = result.requests.total;
  return {
    workload: workload.name,
    server: contender.name,
    connections: spec.connections,
    cycle: spec.cycle,
    requests,
    seconds,
    rps: requests / seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + failed,
    errorDetail: { connection: result.errors - result.timeouts, timeouts: result.timeouts, failedAnswers: failed, noInput },
    serverCpuMs,
    postgresCpuMs: pgCpuMs,
    clientCpuMs: (client.user + client.system) / 1000,
    maxRssMb,
  };
}
