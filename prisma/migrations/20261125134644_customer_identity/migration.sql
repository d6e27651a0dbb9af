-- CreateTable
CREATE TABLE "customer_identity" (
    "customer_id" TEXT NOT NULL,
    "key_id" INTEGER NOT NULL,
    "is_unique" BOOLEAN NOT NULL,
    "value_hash" BYTEA NOT NULL,
    "value_text" TEXT NOT NULL,

    CONSTRAINT "customer_identity_pkey" PRIMARY KEY ("customer_id","key_id","value_hash")
);

-- Hand-written (not expressible in schema.prisma).
-- Unique keys: PostgreSQL itself refuses a second customer with the same values, also when two
-- transactions write them at the same time (the second waits for the first, then conflicts).
CREATE UNIQUE INDEX "customer_identity_unique_idx" ON "customer_identity"("key_id", "value_hash") WHERE "is_unique";
-- Other keys: identify probes (key_id, value_hash) and reads customer_id from the index alone.
CREATE INDEX "customer_identity_lookup_idx" ON "customer_identity"("key_id", "value_hash", "customer_id") WHERE NOT "is_unique";

-- The identity values of one document for a key's attributes: every combination of the
-- normalised values (a multi-valued attribute contributes each of its elements), as the JSON
-- array text and its SHA-256. `doc` is a customer's attributes, one of its extensions (an object,
-- or an array of records each matched on its own), or the attributes given to identify, so that
-- writes and lookups normalise alike. A document lacking one of the attributes yields nothing.
-- Normalisation: strings are trimmed and lower-cased (so matching ignores case and surrounding
-- spaces), numbers and booleans become their JSON text. Empty strings, nulls, objects and nested
-- arrays count as absent. Changing this function means rebuilding customer_identity in the same
-- migration. (No semicolons in these comments: the migration runner splits statements on them.)
CREATE FUNCTION customer_identity_values(doc jsonb, attrs text[])
RETURNS TABLE (value_text text, value_hash bytea)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  WITH RECURSIVE
  records(r) AS (
    SELECT d FROM jsonb_array_elements(CASE jsonb_typeof(doc) WHEN 'array' THEN doc ELSE jsonb_build_array(doc) END) d
    WHERE jsonb_typeof(d) = 'object'
  ),
  combos(r, i, vals) AS (
    SELECT r, 0, ARRAY[]::text[] FROM records
    UNION ALL
    SELECT c.r, c.i + 1, c.vals || lower(btrim(e #>> '{}'))
    FROM combos c
    CROSS JOIN LATERAL jsonb_array_elements(
      CASE jsonb_typeof(c.r -> attrs[c.i + 1]) WHEN 'array' THEN c.r -> attrs[c.i + 1] ELSE jsonb_build_array(c.r -> attrs[c.i + 1]) END
    ) e
    WHERE c.i < cardinality(attrs) AND jsonb_typeof(e) IN ('string', 'number', 'boolean') AND btrim(e #>> '{}') <> ''
  )
  SELECT DISTINCT t.v, sha256(convert_to(t.v, 'UTF8'))
  FROM (SELECT to_jsonb(vals)::text AS v FROM combos WHERE i = cardinality(attrs)) t
$$;
