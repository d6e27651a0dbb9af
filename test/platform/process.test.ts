// The gateway as a real child process, through `npm start` itself where it matters: start on an
// embedded database, serve, and stop cleanly on a signal, finishing what is in flight and leaving
// no PostgreSQL behind.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start, waitReady } from '../support/gateway-process.js';

/** Sends headers and half a body now; the returned function sends the rest and reads the answer. */
function halfSentQuery(port: number, query: string): { finish: () => Promise<{ status: number; body: any }> } {
  const body = JSON.stringify({ query });
  const request = http.request({
    host: '127.0.0.1',
    port,
    path: '/graphql',
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
  });
  const answer = new Promise<{ status: number; body: any }>((resolve, reject) => {
    request.on('response', (response) => {
      let text = '';
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, body: JSON.parse(text) }));
    });
    request.on('error', reject);
  });
  // Settled by `finish`; a test failing before then must not leave an unhandled rejection.
  answer.catch(() => {});
  request.write(body.slice(0, 10));
  return {
    finish: () => {
      request.end(body.slice(10));
      return answer;
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the gateway process', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'gateway-process-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  const postmasterPid = () => path.join(dataDir, 'pg', 'postmaster.pid');

  // SIGTERM goes to npm, as a process supervisor would send it: npm passes it on to its script's
  // shell, so only `exec` in the start script gets it to the gateway rather than orphaning it.
  it('`npm start`: builds, starts on an embedded database, finishes an in-flight request on SIGTERM, stops PostgreSQL, exits 0', async () => {
    const running = await start({ DATA_DIR: dataDir }, ['npm', 'start']);
    try {
      await waitReady(running);
      expect(existsSync(postmasterPid())).toBe(true);
      const inFlight = halfSentQuery(running.port, '{ __typename }');
      await sleep(200);
      running.child.kill('SIGTERM');
      await sleep(300);
      expect(running.child.exitCode).toBeNull();
      expect(await inFlight.finish()).toEqual({ status: 200, body: { data: { __typename: 'Query' } } });
      expect(await running.exited).toBe(0);
    } finally {
      running.kill();
    }
    expect(existsSync(postmasterPid())).toBe(false);
    const messages = running.logs.map((l) => l.msg);
    expect(messages).toEqual(expect.arrayContaining(['embedded PostgreSQL started', 'migrations applied', 'stopped']));
    expect(running.logs.every((l) => typeof l.level === 'string' && typeof l.time === 'string')).toBe(true);
    // It compiles the gateway first: on a busy machine that alone can take half a minute.
  }, 90_000);

  it('restarts on the same DATA_DIR with its data and no migration to apply; SIGINT also exits 0', async () => {
    const running = await start({ DATA_DIR: dataDir });
    try {
      await waitReady(running);
      running.child.kill('SIGINT');
      expect(await running.exited).toBe(0);
    } finally {
      running.kill();
    }
    expect(existsSync(postmasterPid())).toBe(false);
    expect(running.logs.find((l) => l.msg === 'database schema up to date')).toMatchObject({ applied: [] });
  });

  it('refuses to start on a bad configuration with one line per bad variable and exit code 2', async () => {
    const running = await start({ DATA_DIR: dataDir, PORT: 'http', EXTENSIONS_MODE: 'lenient' });
    expect(await running.exited).toBe(2);
    expect(running.stdout.join('')).toBe(
      'stderr: invalid configuration:\n' +
        '  - PORT="http": must be an integer from 0 to 65535\n' +
        '  - EXTENSIONS_MODE="lenient": Invalid option: expected one of "strict"|"schemaless"\n',
    );
  });
});
