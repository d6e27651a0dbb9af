// Sends tree statements to PostgreSQL. Statements of one request issued in the same tick (e.g.
// `completed` and `started` of a transition, or two aliased root fields) travel as ONE statement,
// each as a column of its own; and statements are prepared, since their text depends on the
// shape of the selection, not on its values, and the same few recur.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { Context } from '../graphql/context.js';

// Bounded, because every connection keeps each statement it prepared until it closes.
const MAX_PREPARED = 500;
const prepared = new Set<string>();

function statement(text: string, values: unknown[]): pg.QueryConfig {
  const name = `tree_${createHash('sha1').update(text).digest('base64url')}`;
  if (prepared.size < MAX_PREPARED) prepared.add(name);
  return prepared.has(name) ? { name, text, values } : { text, values };
}

interface Pending {
  text: string;
  values: unknown[];
  resolve: (rows: unknown[]) => void;
  reject: (error: unknown) => void;
}

const batches = new WeakMap<Context, Pending[]>();

/** Runs `text` (a SELECT whose rows have one JSON column `j`) and returns the `j` of each row. */
export function runTreeStatement<T>(ctx: Context, text: string, values: unknown[]): Promise<T[]> {
  return new Promise<unknown[]>((resolve, reject) => {
    let batch = batches.get(ctx);
    if (!batch) {
      batch = [];
      batches.set(ctx, batch);
      // Resolvers of sibling fields run in one synchronous pass: wait for it to end.
      process.nextTick(() => {
        batches.delete(ctx);
        void flush(ctx, batch!);
      });
    }
    batch.push({ text, values, resolve, reject });
  }) as Promise<T[]>;
}

async function flush(ctx: Context, batch: Pending[]): Promise<void> {
  try {
    if (batch.length === 1) {
      const [only] = batch;
      const { rows } = await ctx.db.pool.query<{ j: unknown }>(statement(only.text, only.values));
      only.resolve(rows.map((r) => r.j));
      return;
    }
    const values: unknown[] = [];
    const columns = batch.map((pending, i) => {
      // Renumber $n so each part's parameters follow the previous parts' ones.
      const offset = values.length;
      values.push(...pending.values);
      const text = pending.text.replace(/\$(\d+)/g, (_m, n: string) => `$${Number(n) + offset}`);
      return `(SELECT coalesce(json_agg(part.j), '[]'::json) FROM (${text}) part) AS r${i}`;
    });
    const { rows } = await ctx.db.pool.query<Record<string, unknown[]>>(statement(`SELECT ${columns.join(', ')}`, values));
    batch.forEach((pending, i) => pending.resolve(rows[0][`r${i}`]));
  } catch (error) {
    for (const pending of batch) pending.reject(error);
  }
}
