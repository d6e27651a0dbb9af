// Statements are prepared on each connection under a name derived from their text: their text
// depends on the code and on the shape of a selection, never on values, so the same few recur
// and PostgreSQL parses and plans each once per connection instead of once per request.
import { createHash } from 'node:crypto';
import type pg from 'pg';

// Bounded, because every connection keeps each statement it prepared until it closes.
const MAX_PREPARED = 500;
/** Statement text -> its name; a Map lookup costs far less than hashing the text each time. */
const names = new Map<string, string>();

export function preparedStatement(text: string, values: unknown[]): pg.QueryConfig {
  let name = names.get(text);
  if (name === undefined && names.size < MAX_PREPARED) {
    name = `s_${createHash('sha1').update(text).digest('base64url')}`;
    names.set(text, name);
  }
  return name === undefined ? { text, values } : { name, text, values };
}
