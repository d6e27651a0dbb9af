// Files a test writes for the gateway to read (keys, manifests) go in a folder of their own under
// the run's scratch folder, which the global setup removes when the run ends, so no run leaves
// anything behind in the system's temporary folder.
import { mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import { inject } from 'vitest';

/** A new empty folder for one test's files, named `prefix` and a random suffix. */
export function scratchDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(inject('scratchRoot'), prefix));
}
