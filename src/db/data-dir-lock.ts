// One gateway at a time per DATA_DIR. The embedded PostgreSQL a gateway finds running on its data
// folder is stopped as an orphan (embedded-orphan.ts); this lock is what proves no live gateway
// still uses it, so a second gateway started on the same folder by mistake stops with an error
// instead of taking the first one's database away.
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EmbeddedSetupError } from './embedded-root.js';
import { isAlive, startTimeOf } from './process-info.js';

const LOCK_FILE = 'gateway.pid';

/** The holder recorded in a lock file: alive when its pid runs and (where known) started when recorded. */
async function holderAlive(text: string): Promise<number | null> {
  const [pid, started] = text.split('\n').map((line) => line.trim());
  const holder = Number(pid);
  if (!Number.isInteger(holder) || holder <= 0 || !isAlive(holder)) return null;
  const now = await startTimeOf(holder);
  return started && now !== null && now !== started ? null : holder;
}

/** Claims `dataDir` for this process; returns the function that gives it back. */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const file = path.join(dataDir, LOCK_FILE);
  const content = `${process.pid}\n${(await startTimeOf(process.pid)) ?? ''}\n`;
  for (let attempt = 0; ; attempt++) {
    try {
      await writeFile(file, content, { flag: 'wx' });
      return () => rm(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
    }
    const holder = await holderAlive(await readFile(file, 'utf8').catch(() => ''));
    if (holder !== null) {
      throw new EmbeddedSetupError(
        `DATA_DIR ${dataDir} is in use by another gateway (pid ${holder}): stop it, or give this one another DATA_DIR`,
      );
    }
    // Left by a gateway that died without cleaning up.
    await rm(file, { force: true });
  }
}
