// API keys for tests: writes an API_KEYS_FILE and returns, by key id, the headers that present each key.
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { hashApiKey } from '../../src/auth/api-keys.js';
import type { Scope } from '../../src/auth/scopes.js';
import { scratchDir } from './scratch.js';

export async function writeApiKeys<Id extends string>(
  scopesById: Record<Id, Scope[]>,
): Promise<{ file: string; headers: Record<Id, Record<string, string>> }> {
  const file = path.join(await scratchDir('api-keys-'), 'api-keys.json');
  const headers = {} as Record<Id, Record<string, string>>;
  const entries = [];
  for (const id of Object.keys(scopesById) as Id[]) {
    const key = `cgk_${randomBytes(32).toString('base64url')}`;
    headers[id] = { authorization: `Bearer ${key}` };
    entries.push({ id, sha256: hashApiKey(key), scopes: scopesById[id] });
  }
  await writeFile(file, JSON.stringify(entries));
  return { file, headers };
}
