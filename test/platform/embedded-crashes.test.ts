// Crashes of the gateway and of its embedded PostgreSQL, as real processes: nothing needs a human
// afterwards. A gateway killed with -9 takes its server down with it; a server left running
// anyway is stopped at the next start; a server that dies is restarted, or the gateway exits 1
// for its supervisor when it cannot be; and a second gateway never takes a running one's data.
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, start, waitReady } from '../support/gateway-process.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

const postmasterPid = (dataDir: string) => Number(readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
const parentOf = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
};

const childrenOf = (pid: number) =>
  readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((child) => {
      try {
        return parentOf(child) === pid;
      } catch {
        return false;
      }
    });

async function graphql(running: Running, query: string, variables?: Record<string, unknown>): Promise<any> {
  const response = await fetch(`http://127.0.0.1:${running.port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return response.json();
}

const startService = async (running: Running, contactKey: string): Promise<string> =>
  (await graphql(running, 'mutation($k: String) { startService(input: { contactKey: $k }) { service { serviceId } } }', { k: contactKey }))
    .data.startService.service.serviceId;

const serviceExists = async (running: Running, serviceId: string): Promise<boolean> =>
  (await graphql(running, 'query($id: ID!) { service(serviceId: $id) { serviceId } }', { id: serviceId })).data.service !== null;

// Each test starts one or two gateways from source: slow on a busy machine.
describe('crashes of the embedded database', { timeout: 90_000 }, () => {
  let dataDir: string;
  const running: Running[] = [];
  const gateway = async (env: Record<string, string> = {}) => {
    const started = await start({ DATA_DIR: dataDir, ...env });
    running.push(started);
    return started;
  };
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'gateway-crashes-'));
  });
  afterAll(async () => {
    for (const r of running) r.kill();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('kill -9 of the gateway takes its PostgreSQL down with it; the next start serves every acknowledged write', async () => {
    const first = await gateway();
    await waitReady(first);
    const serviceId = await startService(first, 'before-kill');
    const server = postmasterPid(dataDir);
    first.child.kill('SIGKILL');
    expect(await until(() => !alive(server), 5000)).toBe(true);

    const second = await gateway();
    await waitReady(second);
    expect(await serviceExists(second, serviceId)).toBe(true);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  // The next tests go on with the gateway and the service this one leaves.
  let serving: Running;
  let serviceId: string;

  it('a PostgreSQL left running by a gateway killed with its watchdog is stopped at the next start', async () => {
    const first = await gateway();
    await waitReady(first);
    serviceId = await startService(first, 'before-orphan');
    const orphan = postmasterPid(dataDir);
    // The watchdog is the server's parent, and its other child waits for the gateway to go:
    // killing them all leaves the server with no one to stop it.
    const watchdog = parentOf(orphan);
    for (const pid of [...childrenOf(watchdog).filter((pid) => pid !== orphan), watchdog]) process.kill(pid, 'SIGKILL');
    first.child.kill('SIGKILL');
    await sleep(500);
    expect(alive(orphan)).toBe(true);

    serving = await gateway();
    await waitReady(serving);
    expect(alive(orphan)).toBe(false);
    expect(serving.logs.find((l) => l.msg === 'stopping the PostgreSQL an earlier gateway left running')).toMatchObject({ pid: orphan });
    expect(await serviceExists(serving, serviceId)).toBe(true);
  });

  it('a second gateway on a DATA_DIR in use stops with one line and leaves the first one serving', async () => {
    const intruder = await gateway();
    expect(await intruder.exited).toBe(1);
    expect(intruder.logs.find((l) => l.msg === 'cannot open the database')?.err.message).toMatch(
      /^DATA_DIR .* is in use by another gateway \(pid \d+\): stop it, or give this one another DATA_DIR$/,
    );
    expect(await serviceExists(serving, serviceId)).toBe(true);
  });

  it('PostgreSQL killed under a running gateway is started again, with everything written before', async () => {
    const killed = postmasterPid(dataDir);
    process.kill(killed, 'SIGKILL');
    expect(await until(() => serving.logs.some((l) => l.msg === 'embedded PostgreSQL restarted'), 15_000)).toBe(true);
    await waitReady(serving, 5000);
    expect(postmasterPid(dataDir)).not.toBe(killed);
    expect(await serviceExists(serving, serviceId)).toBe(true);
    expect(serving.logs.find((l) => l.msg === 'embedded PostgreSQL stopped unexpectedly; restarting it')).toMatchObject({
      how: 'killed by signal 9',
    });
    serving.child.kill('SIGTERM');
    expect(await serving.exited).toBe(0);
  });

  it('exits 1 for its supervisor when PostgreSQL cannot be started again', async () => {
    const own = await gateway({ DATA_DIR: await mkdtemp(path.join(os.tmpdir(), 'gateway-lost-')) });
    await waitReady(own);
    const ownDir = own.logs.find((l) => l.msg === 'embedded PostgreSQL started')!.dataDir as string;
    try {
      // Without its version file, the data folder looks uninitialised and initdb refuses it.
      await rm(path.join(ownDir, 'pg', 'PG_VERSION'));
      process.kill(postmasterPid(ownDir), 'SIGKILL');
      expect(await own.exited).toBe(1);
      expect(own.logs.filter((l) => l.msg === 'embedded PostgreSQL did not restart')).toHaveLength(3);
      expect(own.logs.find((l) => l.msg === 'the database is lost for good')).toMatchObject({
        level: 'fatal',
        reason: 'the embedded PostgreSQL did not restart after 3 attempts',
      });
    } finally {
      await rm(ownDir, { recursive: true, force: true });
    }
  });
});
