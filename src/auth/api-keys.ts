// API keys for AUTH_MODE=apikey. Keys are never stored in the clear: API_KEYS_FILE is a JSON list
// of { "id", "sha256", "scopes" }, sha256 being the hex digest of the key. Keys are random 256-bit
// strings (`npm run apikey:create`), so a fast unsalted hash is enough: there is no dictionary to
// try, and a stolen file does not let anyone call the gateway.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ConfigError, readSettingFile } from '../config.js';
import { type Principal, UnauthenticatedError } from './principal.js';
import { SCOPES } from './scopes.js';

const ApiKeyList = z
  .array(
    z.object({
      id: z.string().min(1),
      sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be the lowercase hex SHA-256 of the key'),
      scopes: z.array(z.enum(SCOPES)),
    }),
  )
  .superRefine((keys, ctx) => {
    const seen = new Set<string>();
    keys.forEach((key, i) => {
      if (seen.has(key.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate id ${key.id}` });
      seen.add(key.id);
    });
  });

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Reads API_KEYS_FILE and returns the lookup of a presented key. */
export function createApiKeyVerifier(file: string): (key: string) => Principal {
  const name = 'API_KEYS_FILE';
  let parsed: ReturnType<typeof ApiKeyList.safeParse>;
  try {
    parsed = ApiKeyList.safeParse(JSON.parse(readSettingFile(name, file)));
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError([`${name}=${JSON.stringify(file)}: not JSON (${(error as Error).message})`]);
  }
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${name}=${JSON.stringify(file)}: [${i.path.join('.')}] ${i.message}`));
  }
  const byHash = new Map<string, Principal>(parsed.data.map((k) => [k.sha256, { id: k.id, method: 'apikey', scopes: new Set(k.scopes) }]));
  return (key) => {
    const principal = byHash.get(hashApiKey(key));
    if (!principal) throw new UnauthenticatedError('unknown API key');
    return principal;
  };
}
