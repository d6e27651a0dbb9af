// Turns AttributeRef inputs (an id or a name) into stored business values { id, name }. A field
// mapped to a business attribute accepts only that attribute's values; an unmapped field stores
// what it was given.

import { cachedMetadata } from '../db/metadata-cache.js';
import type { Tx } from '../db/transaction.js';
import { badInput } from '../graphql/errors.js';
import type { AttributeValueShape } from './attribute-value.type.js';

export type AttributeRefInput = number | string | null | undefined;

interface MappedValue {
  field: string;
  value_id: number;
  name: string;
}

/** Every mapped field with its attribute's values: a few hundred rows at most, read as one. */
async function loadMappings(tx: Tx): Promise<Map<string, MappedValue[]>> {
  const { rows } = await tx.query<MappedValue>(
    `SELECT f.field, v.value_id, v.name
       FROM business_attribute_field f
       JOIN business_attribute_value v ON v.attribute_id = f.attribute_id
      ORDER BY f.field, v.value_id`,
  );
  const mappings = new Map<string, MappedValue[]>();
  for (const row of rows) {
    const values = mappings.get(row.field);
    if (values) values.push(row);
    else mappings.set(row.field, [row]);
  }
  return mappings;
}

/**
 * Resolves `refs` ({ fieldName: ref }) of GraphQL type `typeName` (Service, State, Task) against
 * the mappings, cached until a business attribute changes. `path` prefixes the error's field path (e.g. `input`, `input.from`).
 */
export async function resolveAttributeRefs<K extends string>(
  tx: Tx,
  typeName: string,
  refs: Partial<Record<K, AttributeRefInput>>,
  path: string,
): Promise<Partial<Record<K, AttributeValueShape | null>>> {
  const given = (Object.entries(refs) as [K, AttributeRefInput][]).filter(([, ref]) => ref != null);
  const result: Partial<Record<K, AttributeValueShape | null>> = {};
  if (given.length === 0) return result;
  const mappings = await cachedMetadata(tx.database, 'business-attribute-mappings', () => loadMappings(tx));
  for (const [field, ref] of given) {
    const key = `${typeName}.${field}`;
    const values = mappings.get(key);
    if (!values) {
      result[field] = typeof ref === 'number' ? { id: ref, name: null } : { id: null, name: ref as string };
      continue;
    }
    const hit = values.find((v) => (typeof ref === 'number' ? v.value_id === ref : v.name === ref));
    if (!hit) {
      const valid = values.map((v) => `${v.value_id}=${v.name}`).join(', ');
      throw badInput(`${path}.${field}`, `${JSON.stringify(ref)} is not a valid ${key}; valid values: ${valid}`, {
        validValues: values.map((v) => ({ id: v.value_id, name: v.name })),
      });
    }
    result[field] = { id: hit.value_id, name: hit.name };
  }
  return result;
}
