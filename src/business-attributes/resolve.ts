// Turns AttributeRef inputs (an id or a name) into stored business values { id, name }. A field
// mapped to a business attribute accepts only that attribute's values; an unmapped field stores
// what it was given.
import type { Tx } from '../db/transaction.js';
import { badInput } from '../graphql/errors.js';
import type { AttributeValueShape } from './attribute-value.type.js';

export type AttributeRefInput = number | string | null | undefined;

interface MappedValue {
  field: string;
  value_id: number;
  name: string;
}

/**
 * Resolves `refs` ({ fieldName: ref }) of GraphQL type `typeName` (Service, State, Task) in one
 * query. `path` prefixes the error's field path (e.g. `input`, `input.from`).
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
  const { rows } = await tx.query<MappedValue>(
    `SELECT f.field, v.value_id, v.name
       FROM business_attribute_field f
       JOIN business_attribute_value v ON v.attribute_id = f.attribute_id
      WHERE f.field = ANY($1::text[])
      ORDER BY v.value_id`,
    [given.map(([field]) => `${typeName}.${field}`)],
  );
  const mapped = new Set(rows.map((r) => r.field));
  for (const [field, ref] of given) {
    const key = `${typeName}.${field}`;
    if (!mapped.has(key)) {
      result[field] = typeof ref === 'number' ? { id: ref, name: null } : { id: null, name: ref as string };
      continue;
    }
    const values = rows.filter((r) => r.field === key);
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
