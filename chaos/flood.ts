// The hostile requests of hostile.ts against the running gateway: how many got a 5xx, went
// unanswered or took the process down, and whether its memory came back after the flood.
import type { SupervisedGateway } from './gateway.js';
import { hostileRequests } from './hostile.js';
import { postGraphql, send, sleep } from './http.js';

export interface FloodSettings {
  requests: number;
  concurrency: number;
  /** Idle time after the flood before memory is read again. */
  settleMs: number;
}

export interface FloodResult {
  requests: number;
  serverErrors: number;
  /** 5xx answers whose body does not carry the request id. */
  serverErrorsWithoutId: number;
  /** Answers that echo a parser's or the runtime's own message (`originalError`). */
  leaks: number;
  unanswered: number;
  crashes: number;
  rssStartMb: number;
  rssPeakMb: number;
  rssEndMb: number;
  seconds: number;
  /** Per kind: answers by status, e.g. { "400": 12, "500": 3 }. */
  byKind: Record<string, Record<string, number>>;
}

const TIMEOUT_MS = 60_000;
const WARM_UP_REQUESTS = 300;

/** Ordinary traffic first, so the memory the flood starts from is that of a gateway in use. */
async function warmUp(url: string): Promise<void> {
  for (let i = 0; i < WARM_UP_REQUESTS; i++) {
    await postGraphql(
      url,
      {
        query: 'mutation($i: StartServiceInput!) { startService(input: $i) { service { serviceId } } }',
        variables: { i: { contactKey: `warm-${i % 20}` } },
      },
      TIMEOUT_MS,
    );
    await postGraphql(
      url,
      {
        query: 'query($k: String!) { anonymousServices(contactKey: $k, first: 10) { nodes { serviceId status } } }',
        variables: { k: `warm-${i % 20}` },
      },
      TIMEOUT_MS,
    );
  }
}

export async function flood(gateway: SupervisedGateway, settings: FloodSettings, log: (line: string) => void): Promise<FloodResult> {
  // identifyCustomers needs a key before it runs any SQL.
  await postGraphql(
    gateway.url,
    {
      query:
        'mutation { createIdentificationKey(input: { name: "Phone", source: "profile", attributes: ["PhoneNumber"] }) { identificationKey { name } } }',
    },
    TIMEOUT_MS,
  );
  await warmUp(gateway.url);
  const rssStartMb = gateway.rssMb();
  const crashesBefore = gateway.crashes + gateway.livenessKills;
  const requests = hostileRequests(settings.requests);
  const result: FloodResult = {
    requests: requests.length,
    serverErrors: 0,
    serverErrorsWithoutId: 0,
    leaks: 0,
    unanswered: 0,
    crashes: 0,
    rssStartMb,
    rssPeakMb: rssStartMb,
    rssEndMb: 0,
    seconds: 0,
    byKind: {},
  };
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const request = requests[next++];
      const answer = await send(gateway.url, request, TIMEOUT_MS);
      const counts = (result.byKind[request.kind] ??= {});
      counts[answer.status] = (counts[answer.status] ?? 0) + 1;
      if (answer.status === 0) result.unanswered++;
      if (answer.status >= 500) {
        result.serverErrors++;
        const id = answer.headers['x-request-id'];
        if (!id || !answer.body.includes(String(id))) result.serverErrorsWithoutId++;
      }
      if (answer.body.includes('originalError')) result.leaks++;
      result.rssPeakMb = Math.max(result.rssPeakMb, gateway.rssMb());
    }
  };
  await Promise.all(Array.from({ length: settings.concurrency }, worker));
  result.seconds = (performance.now() - started) / 1000;
  result.crashes = gateway.crashes + gateway.livenessKills - crashesBefore;
  await sleep(settings.settleMs);
  // A few ordinary requests, as traffic would go on, then the memory it holds.
  for (let i = 0; i < 20; i++) await send(gateway.url, { method: 'GET', path: '/ready' }, TIMEOUT_MS);
  result.rssEndMb = gateway.rssMb();
  log(
    `  ${result.requests} hostile requests in ${result.seconds.toFixed(1)} s: ${result.serverErrors} 5xx (${result.serverErrorsWithoutId} without request id), ${result.unanswered} unanswered, ${result.crashes} crashes, ${result.leaks} leaking originalError; RSS ${rssStartMb.toFixed(0)} -> peak ${result.rssPeakMb.toFixed(0)} -> ${result.rssEndMb.toFixed(0)} MB`,
  );
  return result;
}
