// Creates an API key for AUTH_MODE=apikey: prints the key once (give it to the client) and the
// entry to add to API_KEYS_FILE, which holds only its hash.
//   npm run apikey:create -- <id> <scope>...     e.g. web-shop context:read
import { randomBytes } from 'node:crypto';
import { hashApiKey } from '../src/auth/api-keys.js';
import { isScope, SCOPES } from '../src/auth/scopes.js';

const [id, ...scopes] = process.argv.slice(2);
const unknown = scopes.filter((s) => !isScope(s));
if (!id || scopes.length === 0 || unknown.length) {
  console.error(`usage: npm run apikey:create -- <id> <scope>...   (scopes: ${SCOPES.join(', ')})`);
  if (unknown.length) console.error(`unknown scopes: ${unknown.join(', ')}`);
  process.exit(2);
}
const key = `cgk_${randomBytes(32).toString('base64url')}`;
console.log(`key (shown once): ${key}`);
console.log(`API_KEYS_FILE entry: ${JSON.stringify({ id, sha256: hashApiKey(key), scopes })}`);
