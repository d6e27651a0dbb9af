// kill -9 of the gateway, of its PostgreSQL, or of both, under a write load: how long until the
// gateway is ready again (supervised as in gateway.ts), whether it got there without a human, and
// whether every write it acknowledged survived.
import type { SupervisedGateway } from './gateway.js';
import { sleep } from './http.js';
import { connect, killServer, postmaster } from './postgres.js';
import { lostWrites, WriteLoad } from './writes.js';

export type CrashKind = 'gateway' | 'postgres' | 'both';

export interface CrashSettings {
  workers: number;
  /** Write load before the kill and after recovery. */
  loadBeforeMs: number;
  loadAfterMs: number;
  /** Not ready by then: it needed a human. */
  recoveryDeadlineMs: number;
}

export interface CrashResult {
  kind: CrashKind;
  acknowledged: number;
  lost: number;
  /** Seconds from the kill to /ready 200, or null when it needed a human. */
  readySeconds: number | null;
}

/** What an operator would do: kill whatever PostgreSQL holds the data folder, start the gateway again. */
async function fixByHand(gateway: SupervisedGateway, log: (line: string) => void): Promise<void> {
  await gateway.halt();
  const orphan = postmaster(gateway.databaseDir);
  log(`  not ready in time: killing PostgreSQL ${orphan?.pid ?? '(none left)'} and restarting the gateway by hand`);
  if (orphan) await killServer(orphan);
  gateway.start();
  if ((await gateway.waitReady(performance.now(), 60_000)) === null)
    throw new Error('the gateway is not ready even after a manual restart');
}

export async function crash(
  gateway: SupervisedGateway,
  kind: CrashKind,
  label: string,
  settings: CrashSettings,
  log: (line: string) => void,
): Promise<CrashResult> {
  const load = new WriteLoad(gateway.url, label);
  load.start(settings.workers);
  await sleep(settings.loadBeforeMs);
  const server = postmaster(gateway.databaseDir);
  if (!server) throw new Error(`no PostgreSQL is running on ${gateway.databaseDir}`);
  const killedAt = performance.now();
  if (kind !== 'postgres') gateway.kill9();
  if (kind !== 'gateway') process.kill(server.pid, 'SIGKILL');
  // Until the killed server is replaced, a /ready answered before its backends noticed proves nothing.
  const readySeconds = await gateway.waitReady(
    killedAt,
    settings.recoveryDeadlineMs,
    () => postmaster(gateway.databaseDir)?.pid !== server.pid,
  );
  if (readySeconds === null) await fixByHand(gateway, log);
  await sleep(settings.loadAfterMs);
  await load.stop();
  const client = await connect(gateway.databaseDir);
  try {
    const lost = await lostWrites(client, load.acknowledged);
    log(
      `  kill -9 ${kind}: ${load.acknowledged.length} acknowledged, ${lost} lost, ready after ${readySeconds === null ? 'a human' : `${readySeconds.toFixed(1)} s`}`,
    );
    return { kind, acknowledged: load.acknowledged.length, lost, readySeconds };
  } finally {
    await client.end();
  }
}
