// One `pg` pool serves both the hand-written SQL of the context tree and the Prisma client.
import pg from 'pg';

// int8 stays a string: ids are 64-bit and clients treat them as opaque strings anyway.
// Timestamps are returned as ISO strings built in SQL, never parsed into Date on the hot path.

export function createPool(connectionString: string, max: number): pg.Pool {
  return new pg.Pool({ connectionString, max });
}
