// How a node type of the context tree (customer, service, state, task) maps to SQL. The tree
// compiler (compile.ts) reads these to build one statement per root field that returns exactly
// the selected fields, nested connections included, as JSON built by PostgreSQL.

/**
 * An SQL expression producing one field's JSON value, given the table alias and, for a field of
 * object type, the names of its subfields the client selected (empty for a scalar). An object
 * value is NULL or has exactly the selected subfields of scalar type as keys, in the order given
 * (`__typename` aside): query-as-json.ts serves it to the client as it is.
 */
export type FieldSql = (alias: string, selected: ReadonlySet<string>) => string;

export interface ConnectionDef {
  child: Entity;
  /** Condition tying a child row (childAlias) to its parent (parentAlias). */
  join: (childAlias: string, parentAlias: string) => string;
  /** Name of the argument filtering by business type (serviceTypes, stateTypes, taskTypes). */
  typesArg: string;
}

/** A to-one link (a task's state, a service's customer), loaded in the same statement. */
export interface ObjectDef {
  child: Entity;
  join: (childAlias: string, parentAlias: string) => string;
}

export interface Entity {
  /** GraphQL object type name. */
  typeName: string;
  table: string;
  idColumn: string;
  /** GraphQL field that carries the id; always loaded, it keys Relay ids and upward lookups. */
  idField: string;
  /** Ids that can exist; anything else is known absent without a query. Default: 64-bit integers. */
  idPattern?: RegExp;
  fields: Record<string, FieldSql>;
  /** Fields resolved in JS from other loaded fields: field -> what it needs. */
  derived?: Record<string, string[]>;
  connections: Record<string, ConnectionDef>;
  objects?: Record<string, ObjectDef>;
  /** Business type columns [id, name], for the *Types filters. */
  typeColumns?: [string, string];
}

/** A Relay global id (encodeGlobalID) in SQL: base64 of `Type:id`, without PostgreSQL's line breaks. */
export const globalIdSql = (typeName: string, id: string) =>
  `translate(encode(convert_to('${typeName}:' || ${id}, 'UTF8'), 'base64'), E'\\n', '')`;

export const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** A JSON object of the subfields selected (`__typename` aside), in their order, each from `value`. */
function selectedObjectSql(selected: ReadonlySet<string>, value: (field: string) => string): string {
  const pairs = [...selected].filter((field) => field !== '__typename').map((field) => `'${field}', ${value(field)}`);
  return `json_build_object(${pairs.join(', ')})`;
}

/**
 * An event (`started`, `completed`) with only the subfields selected: the timestamp from its
 * column, the others from the stored event object. An agent desktop showing start times would
 * otherwise receive, and parse, every session and interaction id of the tree.
 */
function eventSql(eventColumn: string, timeColumn: string, selected: ReadonlySet<string>): string {
  return selectedObjectSql(selected, (field) => (field === 'timestamp' ? iso(timeColumn) : `${eventColumn}->'${field}'`));
}

/** An AttributeValue (`{ id name }`) with only the subfields selected. */
function attributeValueSql(id: string, name: string, selected: ReadonlySet<string>): string {
  return selectedObjectSql(selected, (field) => (field === 'id' ? id : name));
}

/** The columns shared by services, states and tasks, as GraphQL fields. */
export function lifecycleFields(typeField: string, typeColumns: [string, string]): Record<string, FieldSql> {
  const [typeId, typeName] = typeColumns;
  return {
    [typeField]: (a, selected) => {
      const value = attributeValueSql(`${a}.${typeId}`, `${a}.${typeName}`, selected);
      return `CASE WHEN ${a}.${typeId} IS NULL AND ${a}.${typeName} IS NULL THEN NULL ELSE ${value} END`;
    },
    status: (a) => `CASE WHEN ${a}.completed_at IS NULL THEN 'ACTIVE' ELSE 'COMPLETED' END`,
    estDuration: (a) => `${a}.est_duration`,
    duration: (a) => `(extract(epoch FROM ${a}.completed_at - ${a}.started_at) * 1000)::float8`,
    disposition: (a, selected) => {
      const value = attributeValueSql(`${a}.disposition->'id'`, `${a}.disposition->'name'`, selected);
      return `CASE WHEN jsonb_typeof(${a}.disposition) = 'object' THEN ${value} END`;
    },
    dispositionDesc: (a) => `${a}.disposition_desc`,
    started: (a, selected) => eventSql(`${a}.started`, `${a}.started_at`, selected),
    completed: (a, selected) =>
      `CASE WHEN ${a}.completed_at IS NULL THEN NULL ELSE ${eventSql(`${a}.completed`, `${a}.completed_at`, selected)} END`,
    extensions: (a) => `${a}.extensions`,
  };
}
