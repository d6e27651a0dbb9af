// Runs a mutation's domain rule in one transaction with the request's extensions mode.
import { withTransaction, type Tx } from '../db/transaction.js';
import type { ExtensionsMode } from '../extensions/validate.js';
import type { Context } from '../graphql/context.js';

export function write<T>(ctx: Context, rule: (tx: Tx, mode: ExtensionsMode) => Promise<T>): Promise<T> {
  return withTransaction(ctx.db.pool, (tx) => rule(tx, ctx.config.EXTENSIONS_MODE));
}
