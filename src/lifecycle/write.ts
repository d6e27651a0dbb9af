// Runs a mutation's domain rule with the request's extensions mode: in one transaction, or (for
// rules that write with one statement) without one.
import { invalidateMetadata } from '../db/metadata-cache.js';
import { autocommit, withTransaction, type Tx } from '../db/transaction.js';
import { StaleSchemas, type ExtensionsMode } from '../extensions/validate.js';
import type { Context } from '../graphql/context.js';
import { conflict } from '../graphql/errors.js';

type Rule<T> = (tx: Tx, mode: ExtensionsMode) => Promise<T>;

export function write<T>(ctx: Context, rule: Rule<T>): Promise<T> {
  return withTransaction(ctx.db.pool, (tx) => rule(tx, ctx.config.EXTENSIONS_MODE));
}

/**
 * Runs a rule that writes with ONE statement and validated extensions against cached schemas.
 * When a schema changed meanwhile the statement wrote nothing: the rule runs once more against
 * fresh schemas, and a second change in that instant is a CONFLICT to retry.
 */
export async function writeOnce<T>(ctx: Context, rule: Rule<T>): Promise<T> {
  const { db, config } = ctx;
  for (let attempt = 1; ; attempt++) {
    try {
      return await rule(autocommit(db.pool, db.key), config.EXTENSIONS_MODE);
    } catch (error) {
      if (!(error instanceof StaleSchemas)) throw error;
      invalidateMetadata(db.key);
      if (attempt === 2) throw conflict('extension schemas changed during the write; nothing was written, try again');
    }
  }
}
