// PostgreSQL frozen in place (SIGSTOP on the postmaster and every backend), as a stalled disk or
// a paused VM would leave it, under reads, writes and /ready probes: how long does any answer
// take while it is frozen, and once it is back?
import type { SupervisedGateway } from './gateway.js';
import { type Answer, postGraphql, send, sleep } from './http.js';
import { freeze, postmaster, thaw } from './postgres.js';

export interface FreezeSettings {
  freezeMs: number;
  afterMs: number;
  clients: number;
}

export interface FreezeResult {
  /** Slowest answer among the requests in flight while the database was frozen. */
  worstDuringMs: number;
  /** Slowest answer among the requests sent after it came back. */
  worstAfterMs: number;
  /** Slowest /ready answer while frozen. */
  worstReadyMs: number;
  /** Answers while frozen, by HTTP status (0: none). */
  statuses: Record<string, number>;
}

interface Timed extends Answer {
  startedAt: number;
  kind: 'read' | 'write' | 'ready';
}

const READ = 'query ChaosRead($id: ID!) { service(serviceId: $id) { serviceId status } }';
const WRITE = 'mutation ChaosWrite($input: StartServiceInput!) { startService(input: $input) { service { serviceId } } }';
const READY_EVERY_MS = 250;

export async function freezeDatabase(
  gateway: SupervisedGateway,
  settings: FreezeSettings,
  log: (line: string) => void,
): Promise<FreezeResult> {
  const timeoutMs = settings.freezeMs + 15_000;
  const answers: Timed[] = [];
  let running = true;
  const timed = async (kind: Timed['kind'], request: () => Promise<Answer>) => {
    const startedAt = performance.now();
    answers.push({ ...(await request()), startedAt, kind });
  };
  const seed = await postGraphql(gateway.url, { query: WRITE, variables: { input: { contactKey: 'chaos-freeze' } } }, timeoutMs);
  const serviceId = JSON.parse(seed.body).data.startService.service.serviceId as string;
  const client = async (worker: number) => {
    for (let i = 0; running; i++) {
      if (i % 2 === 0) await timed('read', () => postGraphql(gateway.url, { query: READ, variables: { id: serviceId } }, timeoutMs));
      else {
        const input = { contactKey: `chaos-freeze-${worker}-${i}` };
        await timed('write', () => postGraphql(gateway.url, { query: WRITE, variables: { input } }, timeoutMs));
      }
    }
  };
  const prober = async () => {
    while (running) {
      await timed('ready', () => send(gateway.url, { method: 'GET', path: '/ready' }, timeoutMs));
      await sleep(READY_EVERY_MS);
    }
  };
  const load = [...Array.from({ length: settings.clients }, (_, worker) => client(worker)), prober()];
  await sleep(500);
  const server = postmaster(gateway.databaseDir);
  if (!server) throw new Error(`no PostgreSQL is running on ${gateway.databaseDir}`);
  const frozenAt = performance.now();
  const pids = freeze(server);
  await sleep(settings.freezeMs);
  thaw(pids);
  const thawedAt = performance.now();
  await sleep(settings.afterMs);
  running = false;
  await Promise.all(load);

  const during = answers.filter((a) => a.startedAt < thawedAt && a.startedAt + a.ms > frozenAt);
  const after = answers.filter((a) => a.startedAt >= thawedAt);
  const statuses: Record<string, number> = {};
  for (const a of during) statuses[a.status] = (statuses[a.status] ?? 0) + 1;
  const worst = (list: Timed[]) => Math.max(0, ...list.map((a) => a.ms));
  const result = {
    worstDuringMs: worst(during),
    worstAfterMs: worst(after),
    worstReadyMs: worst(during.filter((a) => a.kind === 'ready')),
    statuses,
  };
  log(
    `  frozen ${settings.freezeMs / 1000} s: worst ${(result.worstDuringMs / 1000).toFixed(2)} s during (/ready ${(result.worstReadyMs / 1000).toFixed(2)} s), ${(result.worstAfterMs / 1000).toFixed(2)} s after; statuses ${JSON.stringify(statuses)}`,
  );
  return result;
}
