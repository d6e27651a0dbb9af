// The floor: what the benchmark's workloads cost with nothing but pg. W1 is ONE hand-written
// statement that builds the whole JSON in PostgreSQL, passed through as text; W2 and W3 are one
// statement each. Statements are named, so PostgreSQL prepares them once per connection. Served
// by floor-server.ts; the tests compare the gateway's answers with these.
import type pg from 'pg';

const PAGE = 50;
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const typeValue = (a: string, prefix: string) =>
  `CASE WHEN ${a}.${prefix}_id IS NULL AND ${a}.${prefix}_name IS NULL THEN NULL ELSE json_build_object('id', ${a}.${prefix}_id, 'name', ${a}.${prefix}_name) END`;
/** The active rows of `table` under one parent, in the API's order, one page. */
const activePage = (table: string, id: string, parentColumn: string, parent: string) =>
  `(SELECT * FROM ${table} WHERE ${parentColumn} = ${parent} AND completed_at IS NULL ORDER BY started_at, ${id} LIMIT ${PAGE})`;
/** What W1 selects on every active service, state and task at alias `a` (e.g. 'state'). */
const nodeFields = (a: string, kind: string) =>
  `'${kind}Id', ${a}.${kind}_id::text, '${kind}Type', ${typeValue(a, `${kind}_type`)}, 'status', 'ACTIVE',
   'started', json_build_object('timestamp', ${iso(`${a}.started_at`)}), 'extensions', ${a}.extensions`;

const W1_SQL = `
SELECT json_build_object(
  'customerId', c.customer_id,
  'extensions', c.extensions,
  'services', json_build_object('nodes', coalesce((
    SELECT json_agg(json_build_object(
      ${nodeFields('s', 'service')},
      'estDuration', s.est_duration,
      'states', json_build_object('nodes', coalesce((
        SELECT json_agg(json_build_object(
          ${nodeFields('st', 'state')},
          'tasks', json_build_object('nodes', coalesce((
            SELECT json_agg(json_build_object(${nodeFields('t', 'task')}) ORDER BY t.started_at, t.task_id)
            FROM ${activePage('task', 'task_id', 'state_id', 'st.state_id')} t), '[]'::json))
        ) ORDER BY st.started_at, st.state_id)
        FROM ${activePage('state', 'state_id', 'service_id', 's.service_id')} st), '[]'::json))
    ) ORDER BY s.started_at, s.service_id)
    FROM ${activePage('service', 'service_id', 'customer_id', 'c.customer_id')} s), '[]'::json))
)::text AS j
FROM customer c WHERE c.customer_id = $1`;

const W2_SQL = `
WITH new_customer AS (
  INSERT INTO customer (customer_id) SELECT $1::text WHERE $1::text IS NOT NULL ON CONFLICT DO NOTHING
)
INSERT INTO service (customer_id, contact_key, service_type_id, service_type_name, est_duration, started_at, started, extensions)
VALUES ($1, $2, $3, $4, $5, now(), $6, $7)
RETURNING json_build_object(
  'serviceId', service_id::text,
  'customerId', customer_id,
  'status', 'ACTIVE',
  'serviceType', ${typeValue('service', 'service_type')},
  'started', json_build_object('timestamp', ${iso('started_at')}, 'interactionId', started->>'interactionId'),
  'extensions', extensions
)::text AS j`;

const W3_SQL = `
WITH done AS (
  UPDATE state SET completed_at = now(), completed = $3, disposition = $4
   WHERE state_id = $1 AND service_id = $2 AND completed_at IS NULL
  RETURNING state_id, service_id, disposition
), started AS (
  INSERT INTO state (service_id, state_type_id, state_type_name, previous_state_id, started_at, started)
  SELECT service_id, $5, $6, state_id, now(), $3 FROM done
  RETURNING state_id, service_id, previous_state_id, state_type_id, state_type_name, started
)
SELECT json_build_object(
  'completed', json_build_object('stateId', d.state_id::text, 'serviceId', d.service_id::text, 'status', 'COMPLETED', 'disposition', d.disposition),
  'started', json_build_object(
    'stateId', s.state_id::text,
    'serviceId', s.service_id::text,
    'previousStateId', s.previous_state_id::text,
    'status', 'ACTIVE',
    'stateType', ${typeValue('s', 'state_type')},
    'started', json_build_object('interactionId', s.started->>'interactionId')
  )
)::text AS j
FROM done d CROSS JOIN started s`;

type Ref = number | string | null | undefined;
/** An AttributeRef as stored when no business attribute maps the field: a number is an id, a string a name. */
const refColumns = (ref: Ref) => [typeof ref === 'number' ? ref : null, typeof ref === 'string' ? ref : null];
const refValue = (ref: Ref) => (ref == null ? null : { id: refColumns(ref)[0], name: refColumns(ref)[1] });

export interface Reply {
  status: number;
  body: string;
}
export type Variables = Record<string, any>;

/** The floor's answers by path (/w1, /w2, /w3): the body the gateway would send for the same variables. */
export function createFloor(pool: pg.Pool): Record<string, (variables: Variables) => Promise<Reply>> {
  const one = async (name: string, text: string, values: unknown[]) => (await pool.query<{ j: string }>({ name, text, values })).rows[0]?.j;
  return {
    async '/w1'({ customerId }) {
      const j = await one('w1', W1_SQL, [customerId]);
      return { status: 200, body: `{"data":{"customer":${j ?? 'null'}}}` };
    },
    async '/w2'({ input }) {
      const j = await one('w2', W2_SQL, [
        input.customerId ?? null,
        input.contactKey ?? null,
        ...refColumns(input.serviceType),
        input.estDuration ?? null,
        { interactionId: input.interactionId },
        input.extensions ?? {},
      ]);
      return { status: 200, body: `{"data":{"startService":{"service":${j}}}}` };
    },
    async '/w3'({ input }) {
      const j = await one('w3', W3_SQL, [
        input.from.stateId,
        input.serviceId,
        { interactionId: input.interactionId },
        refValue(input.from.disposition),
        ...refColumns(input.to?.stateType),
      ]);
      if (!j)
        return {
          status: 409,
          body: '{"errors":[{"message":"the state is not an active state of that service","extensions":{"code":"CONFLICT"}}]}',
        };
      return { status: 200, body: `{"data":{"transitionState":${j}}}` };
    },
  };
}
