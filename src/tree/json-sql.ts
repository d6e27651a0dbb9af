// SQL expressions that build JSON values: objects with their keys in a given order, timestamps in
// the DateTime scalar's output form, Relay ids.

// json_build_object takes at most 100 arguments.
const PAIRS_PER_CALL = 50;

/**
 * A JSON object of `pairs` (key, value, key, value...), its keys in the order given: the response
 * follows the selection. A wider object is joined from the text of several, each without its
 * braces: merging them as jsonb would sort the keys.
 */
export function buildObject(pairs: string[]): string {
  if (pairs.length <= PAIRS_PER_CALL) return `json_build_object(${pairs.join(', ')})`;
  const members: string[] = [];
  for (let i = 0; i < pairs.length; i += PAIRS_PER_CALL) {
    members.push(`left(substr(json_build_object(${pairs.slice(i, i + PAIRS_PER_CALL).join(', ')})::text, 2), -1)`);
  }
  return `('{' || ${members.join(` || ', ' || `)} || '}')::json`;
}

/** A timestamp column in the DateTime scalar's output form. */
export const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** A Relay global id (encodeGlobalID) in SQL: base64 of `Type:id`, without PostgreSQL's line breaks. */
export const globalIdSql = (typeName: string, id: string) =>
  `translate(encode(convert_to('${typeName}:' || ${id}, 'UTF8'), 'base64'), E'\\n', '')`;

export const literal = (key: string) => `'${key.replace(/'/g, "''")}'`;

/** A JSON object of the subfields `selected` (`__typename` aside), in their order, each from `value`. */
export function selectedObjectSql(selected: ReadonlySet<string>, value: (field: string) => string): string {
  return buildObject([...selected].filter((field) => field !== '__typename').map((field) => `${literal(field)}, ${value(field)}`));
}
