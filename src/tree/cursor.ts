// Opaque page cursors: the position (start timestamp, id) of the last row seen, so pages stay
// stable while rows are added.
import { isBigintId } from '../db/ids.js';
import { badInput } from '../graphql/errors.js';
import { parseTimestamp } from '../graphql/scalars.js';
import { iso } from './json-sql.js';

export type Position = [startedAt: string, id: string];

export function encodeCursor([startedAt, id]: Position): string {
  return Buffer.from(`${startedAt}|${id}`).toString('base64url');
}

/** encodeCursor in SQL, for the row at `alias`: base64url has no padding or line breaks. */
export function cursorSql(alias: string, idColumn: string): string {
  return `translate(encode(convert_to(${iso(`${alias}.started_at`)} || '|' || ${alias}.${idColumn}::text, 'UTF8'), 'base64'), E'+/\\n=', '-_')`;
}

/** The position a cursor holds; BAD_USER_INPUT naming `field` for anything PostgreSQL could not compare. */
export function decodeCursor(cursor: string, field = 'after'): Position {
  const [startedAt, id, extra] = Buffer.from(cursor, 'base64url').toString().split('|');
  const at = parseTimestamp(startedAt);
  if (extra !== undefined || !isBigintId(id ?? '') || !at) throw badInput(field, `${field} is not a cursor returned by this API`);
  return [at.toISOString(), id];
}
