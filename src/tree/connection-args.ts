// The arguments of a list (Customer.services, anonymousServices...), and their check.
import { checkArguments } from '../graphql/input-text.js';
import { pageSize } from '../graphql/page-size.js';
import { decodeCursor } from './cursor.js';

export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
  status?: 'ACTIVE' | 'COMPLETED' | null;
  startedFrom?: Date | null;
  startedTo?: Date | null;
  [typesArg: string]: unknown;
}

/**
 * The page size of a connection whose arguments are all valid; BAD_USER_INPUT naming the first
 * that is not (a page size out of range, an `after` that is no cursor of ours, text that cannot be
 * stored), whatever the selection needs of them.
 */
export function checkConnectionArgs(args: ConnectionArgs): number {
  checkArguments(args);
  const first = pageSize(args);
  if (args.after) decodeCursor(args.after);
  return first;
}
