// Validates extension data sent by a client against the registered extension schemas.
import type { Tx } from '../db/transaction.js';
import { badInput } from '../graphql/errors.js';
import { type AttributeDef, preview, storeAttributeValue } from './attribute-types.js';
import type { ExtensionOwner } from './extension-owner.js';
import { cachedSchemas, type ExtensionSchemaDef, loadSchemas } from './extension-schema.rules.js';

export type { ExtensionOwner };
export type ExtensionsMode = 'strict' | 'schemaless';

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks `extensions` ({ name: object | [object] }) sent for an owner of kind `owner` and returns
 * them as they are to be stored: names in their schema's spelling, defaults filled in.
 * `path` is the input path of the extensions object, for error messages.
 *
 * An extension without a schema is refused in strict mode and stored as given in schemaless
 * mode. A null value is refused in both: an absent extension already reads as null.
 * The schemas read stay share-locked until the transaction ends (see extension-schema.rules.ts).
 */
export async function validateExtensions(
  tx: Tx,
  owner: ExtensionOwner,
  extensions: Record<string, unknown>,
  mode: ExtensionsMode,
  path: string,
): Promise<Record<string, unknown>> {
  const names = Object.keys(extensions);
  if (names.length === 0) return {};
  return checkExtensions(await loadSchemas(tx, owner, names), owner, extensions, mode, path).stored;
}

/** The schemas a write validated against, for schemaGuard. */
export type SchemaIds = number[];

/**
 * validateExtensions against the cached schemas, locking nothing: for a write that then holds
 * the schemas it used with schemaGuard, in the same statement that stores the data.
 */
export async function validateExtensionsCached(
  tx: Tx,
  owner: ExtensionOwner,
  extensions: Record<string, unknown>,
  mode: ExtensionsMode,
  path: string,
): Promise<{ stored: Record<string, unknown>; schemaIds: SchemaIds }> {
  if (Object.keys(extensions).length === 0) return { stored: {}, schemaIds: [] };
  return checkExtensions(await cachedSchemas(tx, owner), owner, extensions, mode, path);
}

function checkExtensions(
  schemas: Map<string, ExtensionSchemaDef>,
  owner: ExtensionOwner,
  extensions: Record<string, unknown>,
  mode: ExtensionsMode,
  path: string,
): { stored: Record<string, unknown>; schemaIds: SchemaIds } {
  const stored: Record<string, unknown> = {};
  const schemaIds: SchemaIds = [];
  for (const name of Object.keys(extensions)) {
    const field = `${path}.${name}`;
    const value = extensions[name];
    if (value === null) throw badInput(field, `null is not an extension value; deleteExtension removes extension ${name}`);
    const schema = schemas.get(name.toLowerCase());
    if (!schema) {
      if (mode === 'strict') throw unknownExtension(field, owner, name);
      stored[name] = value;
      continue;
    }
    if (schema.name in stored) throw badInput(field, `extension ${schema.name} is sent twice (names are case-insensitive)`);
    stored[schema.name] = checkExtensionValue(schema, value, field);
    schemaIds.push(schema.id);
  }
  return { stored, schemaIds };
}

/**
 * A condition that share-locks the schemas `ids` until the statement's transaction ends and
 * holds when all of them still exist, appending its parameter to `values`. A deletion waits for
 * the lock and then removes what was written; a schema deleted (or deleted and created again)
 * since it was cached makes the condition false: the write stored nothing and must say so (throw
 * StaleSchemas under writeOnce, answer null under writeFastOrSlow).
 */
export function schemaGuard(ids: SchemaIds, values: unknown[]): string {
  if (ids.length === 0) return 'TRUE';
  values.push([...new Set(ids)]);
  const param = `$${values.length}::int[]`;
  return `((SELECT count(*) FROM (SELECT 1 FROM extension_schema WHERE id = ANY(${param}) FOR KEY SHARE) held) = cardinality(${param}))`;
}

export function unknownExtension(field: string, owner: ExtensionOwner, name: string) {
  return badInput(field, `unknown ${owner} extension ${preview(name)}: create its schema first`);
}

/** Checks one extension's value (an object, or an array of records) and returns its stored form. */
export function checkExtensionValue(schema: ExtensionSchemaDef, value: unknown, path: string): unknown {
  if (!schema.multiValued) {
    if (!isJsonObject(value)) throw badInput(path, `${schema.name} is single-valued: its value is one object, not ${preview(value)}`);
    return checkRecord(schema, value, path);
  }
  if (!Array.isArray(value))
    throw badInput(path, `${schema.name} is multi-valued: its value is an array of records, not ${preview(value)}`);
  const firstWithKey = new Map<string, number>();
  return value.map((item, i) => {
    const record = checkRecord(schema, item, `${path}.${i}`);
    const key = recordKey(schema, record);
    const first = firstWithKey.get(key);
    if (first !== undefined) {
      throw badInput(`${path}.${i}`, `record ${i} repeats the unique key (${schema.unique.join(', ')}) of record ${first}: ${key}`);
    }
    firstWithKey.set(key, i);
    return record;
  });
}

/**
 * Checks one object of attributes and returns its stored form. An attribute sent as null counts
 * as not sent: its default applies, and a mandatory one without default is missing.
 */
export function checkRecord(schema: ExtensionSchemaDef, record: unknown, path: string): JsonObject {
  if (!isJsonObject(record)) throw badInput(path, `a record of ${schema.name} is an object, not ${preview(record)}`);
  for (const key of Object.keys(record)) {
    if (!schema.attributes.some((a) => a.name === key)) {
      throw badInput(
        `${path}.${key}`,
        `${schema.name} has no attribute ${preview(key)}; its attributes: ${schema.attributes.map((a) => a.name).join(', ')}`,
      );
    }
  }
  const stored: JsonObject = {};
  for (const attribute of schema.attributes) {
    const value = record[attribute.name] ?? attribute.default;
    if (value != null) stored[attribute.name] = checkAttribute(schema, attribute, value, `${path}.${attribute.name}`);
    else if (attribute.mandatory) throw badInput(`${path}.${attribute.name}`, `${schema.name}.${attribute.name} is mandatory`);
  }
  return stored;
}

export function checkAttribute(schema: ExtensionSchemaDef, attribute: AttributeDef, value: unknown, path: string): unknown {
  const stored = storeAttributeValue(attribute, value);
  if (!stored.ok) throw badInput(path, `${schema.name}.${attribute.name} ${stored.problem}`);
  return stored.value;
}

/** The identity of a stored record: the values of its unique attributes. */
export function recordKey(schema: ExtensionSchemaDef, record: JsonObject): string {
  return JSON.stringify(schema.unique.map((name) => record[name] ?? null));
}
