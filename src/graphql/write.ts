// Runs a mutation's domain rule with the request's extensions mode: in one transaction, or (for
// rules that write with one statement) without one.
import { invalidateMetadata, StaleSchemas } from '../db/metadata-cache.js';
import { autocommit, type Tx, withTransaction } from '../db/transaction.js';
import type { Context } from './context.js';
import { conflict, DomainError } from './errors.js';

type Rule<T> = (tx: Tx, mode: Context['config']['EXTENSIONS_MODE']) => Promise<T>;

export function write<T>(ctx: Context, rule: Rule<T>): Promise<T> {
  return withTransaction(ctx.db.pool, (tx) => rule(tx, ctx.config.EXTENSIONS_MODE));
}

function writeWithoutTransaction<T>(ctx: Context, rule: Rule<T>): Promise<T> {
  return rule(autocommit(ctx.db.pool, ctx.db.key), ctx.config.EXTENSIONS_MODE);
}

/**
 * Runs a rule that writes with ONE statement and validated extensions against cached schemas.
 * When a schema changed meanwhile the statement wrote nothing: the rule runs once more against
 * fresh schemas, and a second change in that instant is a CONFLICT to retry.
 */
export async function writeOnce<T>(ctx: Context, rule: Rule<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await writeWithoutTransaction(ctx, rule);
    } catch (error) {
      if (!(error instanceof StaleSchemas)) throw error;
      invalidateMetadata(ctx.db.key);
      if (attempt === 2) throw conflict('extension schemas changed during the write; nothing was written, try again');
    }
  }
}

/**
 * Runs `fast`, a rule that writes with ONE statement when everything is as expected and answers
 * null (or throws a DomainError) otherwise; then, unless it wrote, `slow`, the rule as a
 * transaction, which locks, checks in order and reports what is wrong, or succeeds if a
 * concurrent change has settled meanwhile. Errors are only ever reported by `slow`.
 */
export async function writeFastOrSlow<T>(ctx: Context, fast: Rule<T | null>, slow: Rule<T>): Promise<T> {
  try {
    const done = await writeWithoutTransaction(ctx, fast);
    if (done !== null) return done;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
  }
  return write(ctx, slow);
}
