// Ids of services, states and tasks are PostgreSQL bigints, handed to clients as decimal strings.
const MAX_BIGINT = 2n ** 63n - 1n;

/** Whether `text` can be a bigint id: a decimal integer from 0 to 2^63 - 1. Anything else names no row. */
export function isBigintId(text: string): boolean {
  return /^\d{1,19}$/.test(text) && (text.length < 19 || BigInt(text) <= MAX_BIGINT);
}
