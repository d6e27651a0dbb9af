// The fields services, states and tasks share (type, status, durations, disposition, the start
// and completion events, extensions), each declared once with the SQL that builds it.
import { AttributeValueRef } from '../business-attributes/attribute-value.type.js';
import { storedKey } from '../extensions/extension-owner.js';
import type { Types } from '../graphql/builder.js';
import { EventRef } from '../lifecycle/event.type.js';
import { column, derivedFrom } from '../tree/declare.js';
import { iso, selectedObjectSql } from '../tree/json-sql.js';
import { StatusEnum } from '../tree/status.js';

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

/** The business type of the row (`serviceType`...), from its columns [id, name]. */
function typeColumn([typeId, typeName]: [string, string]) {
  return column(
    AttributeValueRef,
    (a, selected) => {
      const value = attributeValueSql(`${a}.${typeId}`, `${a}.${typeName}`, selected);
      return `CASE WHEN ${a}.${typeId} IS NULL AND ${a}.${typeName} IS NULL THEN NULL ELSE ${value} END`;
    },
    { nullable: true },
  );
}

/** The lifecycle columns, the business type under `typeField` (serviceType, stateType, taskType). */
export function lifecycleColumns<K extends string>(typeField: K, typeColumns: [string, string]) {
  return {
    ...({ [typeField]: typeColumn(typeColumns) } as Record<K, ReturnType<typeof typeColumn>>),
    status: column(StatusEnum, (a) => `CASE WHEN ${a}.completed_at IS NULL THEN 'ACTIVE' ELSE 'COMPLETED' END`),
    estDuration: column('Int', (a) => `${a}.est_duration`, { nullable: true, description: 'Estimated duration in seconds.' }),
    duration: column('Float', (a) => `(extract(epoch FROM ${a}.completed_at - ${a}.started_at) * 1000)::float8`, {
      nullable: true,
      description: 'Milliseconds from start to completion; null while active.',
    }),
    disposition: column(
      AttributeValueRef,
      (a, selected) => {
        const value = attributeValueSql(`${a}.disposition->'id'`, `${a}.disposition->'name'`, selected);
        return `CASE WHEN jsonb_typeof(${a}.disposition) = 'object' THEN ${value} END`;
      },
      { nullable: true },
    ),
    dispositionDesc: column('String', (a) => `${a}.disposition_desc`, { nullable: true }),
    started: column(EventRef, (a, selected) => eventSql(`${a}.started`, `${a}.started_at`, selected)),
    completed: column(
      EventRef,
      (a, selected) =>
        `CASE WHEN ${a}.completed_at IS NULL THEN NULL ELSE ${eventSql(`${a}.completed`, `${a}.completed_at`, selected)} END`,
      { nullable: true },
    ),
    extensions: column('JSONObject', (a) => `${a}.extensions`, { description: '{ extensionName: object | [object] }' }),
  };
}

/** `extension(name:)`: one extension by name, from the row's `extensions`. */
export function extensionField<Row extends { extensions: Record<string, unknown> }>(t: PothosSchemaTypes.ObjectFieldBuilder<Types, Row>) {
  return t.field({
    type: 'JSON',
    nullable: true,
    description: 'One extension by name (case-insensitive); null when absent.',
    args: { name: t.arg.string({ required: true }) },
    extensions: derivedFrom('extensions'),
    resolve: (row, { name }) => {
      const key = storedKey(row.extensions, name);
      return key === undefined ? null : row.extensions[key];
    },
  });
}
