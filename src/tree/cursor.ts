// Opaque page cursors: the position (start timestamp, id) of the last row seen, so pages stay
// stable while rows are added.
import { badInput } from '../graphql/errors.js';
import { iso } from './entity.js';

export type Position = [startedAt: string, id: string];

export function encodeCursor([startedAt, id]: Position): string {
  return Buffer.from(`${startedAt}|${id}`).toString('base64url');
}

/** encodeCursor in SQL, for the row at `alias`: base64url has no padding or line breaks. */
export function cursorSql(alias: string, idColumn: string): string {
  return `translate(encode(convert_to(${iso(`${alias}.started_at`)} || '|' || ${alias}.${idColumn}::text, 'UTF8'), 'base64'), E'+/\\n=', '-_')`;
}

export function decodeCursor(cursor: string, field = 'after'): Position {
  const [startedAt, id, extra] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (extra !== undefined || !/^\d+$/.test(id ?? '') || Number.isNaN(Date.parse(startedAt))) {
    throw badInput(field, 'after is not a cursor returned by this API');
  }
  return [startedAt, id];
}
