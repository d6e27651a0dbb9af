// API keys for tests: writes an API_KEYS_FILE and returns the keys in the clear, by id.
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { hashApiKey } from '../../src/auth/api-keys.js';
import type { Scope } from '../../src/auth/scopes.js';

export async function writeApiKeys<Id extends string>(
  scopesById: Record<Id, Scope[]>,
): Promise<{ file: string; headers: Record<Id, Record<string, string>> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'api-keys-'));
  const file = path.join(dir, 'api-keys.json');
  const keys = Object.fromEntries(Object.keys(scopesById).map((id) => [id, `cgk_${randomBytes(32).toString('base64url')}`]));
  const entries = Object.entries<Scope[]>(scopesById).map(([id, scopes]) => ({ id, sha256: hashApiKey(keys[id]), scopes }));
  await writeFile(file, JSON.stringify(entries));
  const headers = Object.fromEntries(Object.entries(keys).map(([id, key]) => [id, { authorization: `Bearer ${key}` }]));
  return { file, headers: headers as Record<Id, Record<string, string>> };
}
