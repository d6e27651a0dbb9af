// Writes whose acknowledgement is recorded: each worker starts anonymous services one after the
// other, and a service counts as acknowledged once the gateway answered 200 with its serviceId.
// After a crash, every acknowledged service must be in the database.
import type pg from 'pg';
import { postGraphql, sleep } from './http.js';

const START = 'mutation Chaos($input: StartServiceInput!) { startService(input: $input) { service { serviceId } } }';
const REQUEST_TIMEOUT_MS = 30_000;
/** Pause after a failed write, so workers do not spin while the gateway is down. */
const BACKOFF_MS = 50;

export class WriteLoad {
  readonly acknowledged: string[] = [];
  failed = 0;
  private running = false;
  private workers: Promise<void>[] = [];

  constructor(
    private readonly url: string,
    private readonly label: string,
  ) {}

  start(workers: number): void {
    this.running = true;
    let next = 0;
    const work = async (worker: number) => {
      while (this.running) {
        const input = { contactKey: `chaos-${this.label}-${worker}-${next++}` };
        const answer = await postGraphql(this.url, { query: START, variables: { input } }, REQUEST_TIMEOUT_MS);
        const id = answer.status === 200 ? serviceIdOf(answer.body) : undefined;
        if (id) this.acknowledged.push(id);
        else {
          this.failed++;
          await sleep(BACKOFF_MS);
        }
      }
    };
    this.workers = Array.from({ length: workers }, (_, worker) => work(worker));
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.workers);
  }
}

function serviceIdOf(body: string): string | undefined {
  try {
    return JSON.parse(body).data?.startService?.service?.serviceId;
  } catch {
    return undefined;
  }
}

/** How many of the acknowledged services the database does not hold. */
export async function lostWrites(client: pg.Client, acknowledged: string[]): Promise<number> {
  const { rows } = await client.query<{ found: number }>(
    'SELECT count(*)::int AS found FROM service WHERE service_id = ANY($1::bigint[])',
    [acknowledged],
  );
  return acknowledged.length - rows[0].found;
}
