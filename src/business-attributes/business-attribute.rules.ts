// Defining a business attribute: validation and the one-transaction replacement of its values
// and field mappings, as plain functions over a transaction.
import { notifyMetadataChanged } from '../db/metadata-cache.js';
import type { Tx } from '../db/transaction.js';
import { badInput, DomainError } from '../graphql/errors.js';

export interface BusinessValueInput {
  id: number;
  name: string;
  displayName?: string | null;
}

export interface DefineBusinessAttributeInput {
  name: string;
  displayName?: string | null;
  fields?: string[] | null;
  values: BusinessValueInput[];
}

const OWNER_TYPES = ['Service', 'State', 'Task'] as const;

/**
 * The type-like fields a business attribute may validate, as `Type.field`. The lifecycle code
 * resolves refs under exactly these keys (see resolve.ts), so nothing else can ever take effect.
 */
export const MAPPABLE_FIELDS: readonly string[] = [
  'Service.serviceType',
  'State.stateType',
  'Task.taskType',
  ...OWNER_TYPES.flatMap((type) => ['disposition', 'applicationType', 'resourceType', 'mediaType'].map((field) => `${type}.${field}`)),
];

const NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const MAX_VALUE_NAME = 128;
const MAX_DISPLAY_NAME = 256;
const MAX_VALUES = 1000;

function checkDisplayName(value: string | null | undefined, field: string): void {
  if (value != null && value.length > MAX_DISPLAY_NAME) {
    throw badInput(field, `displayName is longer than ${MAX_DISPLAY_NAME} characters`);
  }
}

/** Rejects a definition that could never be used consistently; needs no data. */
export function checkDefinition(input: DefineBusinessAttributeInput): void {
  if (!NAME.test(input.name)) {
    throw badInput('input.name', 'name must start with a letter and hold only letters, digits and _, at most 64 characters');
  }
  checkDisplayName(input.displayName, 'input.displayName');
  if (input.values.length === 0) throw badInput('input.values', 'a business attribute needs at least one value');
  if (input.values.length > MAX_VALUES) throw badInput('input.values', `a business attribute has at most ${MAX_VALUES} values`);
  const ids = new Set<number>();
  // Names differing only in case would be told apart by clients but not by people reading them.
  const names = new Set<string>();
  input.values.forEach((value, i) => {
    const at = `input.values[${i}]`;
    if (ids.has(value.id)) throw badInput(`${at}.id`, `value id ${value.id} is given twice`);
    ids.add(value.id);
    if (value.name === '' || value.name.trim() !== value.name || value.name.length > MAX_VALUE_NAME) {
      throw badInput(`${at}.name`, `a value name is 1 to ${MAX_VALUE_NAME} characters with no leading or trailing spaces`);
    }
    if (names.has(value.name.toLowerCase())) throw badInput(`${at}.name`, `value name "${value.name}" is given twice`);
    names.add(value.name.toLowerCase());
    checkDisplayName(value.displayName, `${at}.displayName`);
  });
  const fields = new Set<string>();
  input.fields?.forEach((field, i) => {
    if (!MAPPABLE_FIELDS.includes(field)) {
      throw badInput(`input.fields[${i}]`, `"${field}" cannot be mapped; mappable fields: ${MAPPABLE_FIELDS.join(', ')}`, {
        mappableFields: MAPPABLE_FIELDS,
      });
    }
    if (fields.has(field)) throw badInput(`input.fields[${i}]`, `field ${field} is given twice`);
    fields.add(field);
  });
}

/**
 * Creates or redefines the attribute `input.name` and returns its id. Its values are replaced by
 * `input.values`; its field mappings by `input.fields` when given (kept otherwise); its display
 * name when given. A field mapped to another attribute is a CONFLICT rather than silently moved:
 * that would change what the other attribute validates behind its owner's back.
 */
export async function defineBusinessAttribute(tx: Tx, input: DefineBusinessAttributeInput): Promise<number> {
  checkDefinition(input);
  // The upsert locks the attribute's row, so concurrent definitions of one attribute run in turn.
  const { rows } = await tx.query<{ id: number }>(
    `INSERT INTO business_attribute (name, display_name) VALUES ($1, $2)
     ON CONFLICT (name) DO UPDATE SET display_name = COALESCE(EXCLUDED.display_name, business_attribute.display_name)
     RETURNING id`,
    [input.name, input.displayName ?? null],
  );
  const attributeId = rows[0].id;
  await tx.query('DELETE FROM business_attribute_value WHERE attribute_id = $1', [attributeId]);
  await tx.query(
    `INSERT INTO business_attribute_value (attribute_id, value_id, name, display_name)
     SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[])`,
    [attributeId, input.values.map((v) => v.id), input.values.map((v) => v.name), input.values.map((v) => v.displayName ?? null)],
  );
  if (input.fields != null) await mapFields(tx, attributeId, input.fields);
  await notifyMetadataChanged(tx);
  return attributeId;
}

async function mapFields(tx: Tx, attributeId: number, fields: string[]): Promise<void> {
  await tx.query('DELETE FROM business_attribute_field WHERE attribute_id = $1', [attributeId]);
  // DO NOTHING waits for a concurrent transaction inserting the same field, then skips it: a
  // field taken by another attribute shows up as missing from RETURNING, never as a raw error.
  const { rows } = await tx.query<{ field: string }>(
    `INSERT INTO business_attribute_field (field, attribute_id) SELECT unnest($1::text[]), $2
     ON CONFLICT (field) DO NOTHING RETURNING field`,
    [fields, attributeId],
  );
  const mapped = new Set(rows.map((r) => r.field));
  const index = fields.findIndex((field) => !mapped.has(field));
  if (index === -1) return;
  const { rows: owner } = await tx.query<{ name: string }>(
    `SELECT a.name FROM business_attribute_field f JOIN business_attribute a ON a.id = f.attribute_id WHERE f.field = $1`,
    [fields[index]],
  );
  throw new DomainError(
    'CONFLICT',
    `${fields[index]} is already mapped to business attribute "${owner[0]?.name}"; redefine that attribute without it first`,
    { field: `input.fields[${index}]` },
  );
}
