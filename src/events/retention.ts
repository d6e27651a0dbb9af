// Keeps the outbox to EVENT_RETENTION: deletes the oldest events in small batches (one big
// DELETE would hold its locks long and bloat the table at once), and records how far it went in
// context_event_pruned, so that a resume from before that point is told its events expired.
import type pg from 'pg';

const BATCH = 1_000;

// The first BATCH rows in outbox order, of which those older than the cutoff and final (below
// the horizon) go. Taking the oldest rows by the primary key, then filtering, never scans the
// table when there is nothing to delete. SKIP LOCKED: gateways pruning at once share the work.
const PRUNE = `WITH oldest AS (
    SELECT xid, event_id, recorded_at FROM context_event ORDER BY xid, event_id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED
  ),
  gone AS (
    DELETE FROM context_event e USING oldest o
     WHERE e.xid = o.xid AND e.event_id = o.event_id
       AND o.recorded_at < now() - make_interval(secs => $1::double precision / 1000)
       AND o.xid < pg_snapshot_xmin(pg_current_snapshot())
    RETURNING e.xid, e.event_id
  ),
  last AS (SELECT xid, event_id FROM gone ORDER BY xid DESC, event_id DESC LIMIT 1),
  noted AS (
    INSERT INTO context_event_pruned (single, xid, event_id) SELECT true, xid, event_id FROM last
    ON CONFLICT (single) DO UPDATE SET xid = excluded.xid, event_id = excluded.event_id
     WHERE (context_event_pruned.xid, context_event_pruned.event_id) < (excluded.xid, excluded.event_id)
  )
  SELECT count(*)::int AS deleted FROM gone`;

/** Deletes events older than `retentionMs`, a batch at a time; returns how many. */
export async function pruneEvents(pool: pg.Pool, retentionMs: number): Promise<number> {
  let total = 0;
  for (;;) {
    const { rows } = await pool.query<{ deleted: number }>(PRUNE, [retentionMs]);
    total += rows[0].deleted;
    if (rows[0].deleted < BATCH) return total;
    // Give the writes room between batches.
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
