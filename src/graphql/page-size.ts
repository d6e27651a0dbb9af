// How many items a list returns: 50 unless the client asks for another number, at most 500.
import { badInput } from './errors.js';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/** The page size `first` asks for; BAD_USER_INPUT naming `first` when out of range. */
export function pageSize({ first }: { first?: number | null }): number {
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (size < 0 || size > MAX_PAGE_SIZE) throw badInput('first', `first must be between 0 and ${MAX_PAGE_SIZE}; got ${size}`);
  return size;
}
