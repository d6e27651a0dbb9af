// Rate limit per credential (token subject or API key id): a token bucket refilled at
// RATE_LIMIT_PER_MINUTE and holding at most RATE_LIMIT_BURST operations; each operation of a
// batch takes one token. Buckets live in this process's memory: with N gateway processes a
// caller gets N times the budget. Callers under AUTH_MODE=none are not limited (no credential).
import type { Plugin } from 'graphql-yoga';
import type { Authenticate } from '../auth/authenticate.js';
import type { Config } from '../config.js';
import { requestError } from './request-errors.js';

// Above this many callers, buckets that have refilled completely are forgotten (they equal new ones).
const PRUNE_ABOVE = 10_000;

interface Bucket {
  tokens: number;
  at: number;
}

export function useRateLimit(
  config: Pick<Config, 'RATE_LIMIT_PER_MINUTE' | 'RATE_LIMIT_BURST'>,
  authenticate: Authenticate,
  now: () => number = () => performance.now(),
): Plugin {
  const perMinute = config.RATE_LIMIT_PER_MINUTE;
  const capacity = config.RATE_LIMIT_BURST;
  if (perMinute === 0) return {};
  const perMs = perMinute / 60_000;
  const buckets = new Map<string, Bucket>();

  function refill(bucket: Bucket, at: number): void {
    bucket.tokens = Math.min(capacity, bucket.tokens + (at - bucket.at) * perMs);
    bucket.at = at;
  }

  /** Takes a token; returns 0, or the milliseconds until one is available. */
  function take(key: string): number {
    const at = now();
    if (buckets.size > PRUNE_ABOVE) {
      for (const [k, b] of buckets) {
        refill(b, at);
        if (b.tokens >= capacity) buckets.delete(k);
      }
    }
    let bucket = buckets.get(key);
    if (!bucket) buckets.set(key, (bucket = { tokens: capacity, at }));
    refill(bucket, at);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return (1 - bucket.tokens) / perMs;
  }

  return {
    async onParams({ request }) {
      const principal = await authenticate(request);
      if (principal.method === 'none') return;
      const waitMs = take(principal.id);
      if (waitMs === 0) return;
      const retryAfter = Math.ceil(waitMs / 1000);
      throw requestError(
        'RATE_LIMITED',
        429,
        `rate limit exceeded for ${principal.id}: ${perMinute} operations per minute, bursts of ${capacity}; retry in ${retryAfter} s`,
        { extensions: { retryAfter }, headers: { 'Retry-After': String(retryAfter) } },
      );
    },
  };
}
