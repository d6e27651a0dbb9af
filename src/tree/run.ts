// Sends tree statements to PostgreSQL. Statements of one request issued in the same tick (e.g.
// `completed` and `started` of a transition, or two aliased root fields) travel as ONE statement,
// each as a column of its own; and statements are prepared (db/prepared.ts).
import { preparedStatement as statement } from '../db/prepared.js';
import type { Context } from '../graphql/context.js';

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
    for (const [i, pending] of batch.entries()) pending.resolve(rows[0][`r${i}`]);
  } catch (error) {
    for (const pending of batch) pending.reject(error);
  }
}
