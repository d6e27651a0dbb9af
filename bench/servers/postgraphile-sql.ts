// What PostGraphile needs in the database for W3: a transition is two writes that must happen
// together and only on an active state, which PostGraphile's documentation has a team write as a
// function it then exposes as a mutation ("custom mutations"). Its own schema keeps it apart from
// the gateway's tables.
export const POSTGRAPHILE_SCHEMA = 'postgraphile_bench';

export const POSTGRAPHILE_SQL = `
CREATE SCHEMA IF NOT EXISTS ${POSTGRAPHILE_SCHEMA};
CREATE OR REPLACE FUNCTION ${POSTGRAPHILE_SCHEMA}.transition_state(
  service_id bigint, state_id bigint, interaction_id text, disposition jsonb, state_type_name text
) RETURNS SETOF public.state LANGUAGE sql VOLATILE AS $$
  WITH done AS (
    UPDATE public.state s
       SET completed_at = now(), completed = jsonb_build_object('interactionId', $3), disposition = $4
     WHERE s.state_id = $2 AND s.service_id = $1 AND s.completed_at IS NULL
    RETURNING s.*
  ), started AS (
    INSERT INTO public.state (service_id, state_type_name, previous_state_id, started_at, started)
    SELECT done.service_id, $5, done.state_id, now(), jsonb_build_object('interactionId', $3) FROM done
    RETURNING *
  )
  SELECT * FROM done UNION ALL SELECT * FROM started
$$;
`;
