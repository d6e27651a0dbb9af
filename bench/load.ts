// One timed round: autocannon on loopback against one server, with a fresh body per request, and
// the CPU time that server and PostgreSQL spent meanwhile read from /proc before and after.
import autocannon from 'autocannon';
import { postgresCpuMs, processCpuMs, rssMb } from './processes.js';
import { type BodyKind, REQUEST_HEADERS, requestBody, type Target, type Workload } from './workloads.js';

/** Who answers a round: the gateway with full documents or persisted ids, or the floor. */
export interface Contender {
  label: 'gateway' | 'gateway-persisted' | 'floor';
  target: Target;
  kind: BodyKind;
  url: string;
  pid: number;
}

export interface RoundResult {
  workload: string;
  contender: Contender['label'];
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
  const source = workload.source(spec.seed, contender.target);
  let noInput = 0;
  let failed = 0;
  const path = contender.target === 'floor' ? workload.floorPath : '/graphql';
  let maxRssMb = rssMb(contender.pid);
  const sampler = setInterval(() => (maxRssMb = Math.max(maxRssMb, rssMb(contender.pid))), 250);
  const before = { server: processCpuMs(contender.pid), postgres: postgresCpuMs(spec.postmasterPid), client: process.cpuUsage() };
  const result = await autocannon({
    url: contender.url,
    connections: spec.connections,
    duration: spec.seconds,
    headers: REQUEST_HEADERS,
    requests: [
      {
        method: 'POST',
        path,
        setupRequest(request) {
          const variables = source.next();
          // An exhausted source sends an empty body, which the server rejects: counted, never silent.
          if (!variables) noInput++;
          return { ...request, body: variables ? requestBody(workload, variables, contender.kind) : '{}' };
        },
        onResponse(status, body) {
          // GraphQL reports failures with HTTP 200 too: an answer naming errors is a failure.
          if (status !== 200 || body.includes('"errors"')) failed++;
          else source.onData?.(JSON.parse(body).data);
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
  const errorDetail = {
    connection: result.errors - result.timeouts,
    timeouts: result.timeouts,
    failedAnswers: failed,
    noInput,
  };
  return {
    workload: workload.name,
    contender: contender.label,
    connections: spec.connections,
    cycle: spec.cycle,
    requests,
    seconds,
    rps: requests / seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + failed,
    errorDetail,
    serverCpuMs,
    postgresCpuMs: pgCpuMs,
    clientCpuMs: (client.user + client.system) / 1000,
    maxRssMb,
  };
}
