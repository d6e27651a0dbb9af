// The rules of extension schemas: how one is declared, loaded for validation, and deleted.
//
// Locking: writers of extension data share-lock (FOR KEY SHARE) the schemas they validate
// against, and a schema deletion row-locks the schema before it removes the data. So a deletion
// waits for in-flight writers of that extension and then removes what they wrote; writers that
// come later find no schema. A write of one statement (startService, transitionState) validates
// against a cached copy instead and takes the same lock inside that statement (schemaGuard in
// validate.ts), which also tells it when the copy was stale. Writers lock the schema and their
// owner row in either order, so the deletion never waits for an owner row while it holds the
// schema (that could deadlock): it gives way, and tries again, while another transaction holds an
// owner row of that extension.
import { setTimeout as sleep } from 'node:timers/promises';
import { cachedMetadata, notifyMetadataChanged } from '../db/metadata-cache.js';
import type { Tx } from '../db/transaction.js';
import type { ExtensionAttributeType } from '../generated/prisma/enums.js';
import { badInput, conflict, notFound } from '../graphql/errors.js';
import { type AttributeDef, preview, storeAttributeValue } from './attribute-types.js';
import { type ExtensionOwner, removeExtensionEverywhere } from './extension-owner.js';

export const MAX_NAME_LENGTH = 26;
/** How long a schema deletion keeps trying while owners of its data are locked by others. */
const DELETE_PATIENCE_MS = 2_000;
const LOCK_NOT_AVAILABLE = '55P03';
const MAX_ATTRIBUTE_NAME_LENGTH = 64;
const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;

/** An extension schema as validation needs it. */
export interface ExtensionSchemaDef {
  id: number;
  name: string;
  multiValued: boolean;
  /** For multi-valued extensions: the attributes that key each record (all mandatory). */
  unique: string[];
  attributes: AttributeDef[];
}

export interface AttributeInput {
  name: string;
  type: ExtensionAttributeType;
  length?: number | null;
  mandatory?: boolean | null;
  default?: unknown;
}

export interface CreateExtensionSchemaInput {
  owner: ExtensionOwner;
  name: string;
  multiValued: boolean;
  unique?: string[] | null;
  attributes: AttributeInput[];
}

/**
 * Loads the schemas of `names` (any spelling) for `owner` in one query, keyed by lower-case name,
 * and share-locks them until the transaction ends (see the locking note above).
 */
export async function loadSchemas(tx: Tx, owner: ExtensionOwner, names: string[]): Promise<Map<string, ExtensionSchemaDef>> {
  const { rows } = await tx.query<ExtensionSchemaDef & { nameKey: string }>(
    `SELECT ${SCHEMA_COLUMNS} FROM extension_schema WHERE owner = $1 AND name_key = ANY($2::text[]) FOR KEY SHARE`,
    [owner, names.map((n) => n.toLowerCase())],
  );
  return new Map(rows.map(({ nameKey, ...schema }) => [nameKey, schema]));
}

const SCHEMA_COLUMNS = `id, name, name_key AS "nameKey", multi_valued AS "multiValued", coalesce("unique", '{}') AS "unique", attributes`;

/**
 * Every schema of `owner`, keyed by lower-case name, from a per-process copy dropped whenever a
 * schema is created or deleted anywhere (db/metadata-cache.ts). Nothing is locked: a write that
 * validates against this copy must hold its schemas with schemaGuard in its own statement.
 */
export async function cachedSchemas(tx: Tx, owner: ExtensionOwner): Promise<Map<string, ExtensionSchemaDef>> {
  const all = await cachedMetadata(tx.database, 'extension-schemas', async () => {
    const { rows } = await tx.query<ExtensionSchemaDef & { nameKey: string; owner: ExtensionOwner }>(
      `SELECT owner, ${SCHEMA_COLUMNS} FROM extension_schema`,
      [],
    );
    const byOwner = new Map<ExtensionOwner, Map<string, ExtensionSchemaDef>>();
    for (const { owner: of, nameKey, ...schema } of rows) {
      if (!byOwner.has(of)) byOwner.set(of, new Map());
      byOwner.get(of)!.set(nameKey, schema);
    }
    return byOwner;
  });
  return all.get(owner) ?? new Map();
}

function checkIdentifier(value: string, maxLength: number, field: string, what: string): void {
  if (!IDENTIFIER.test(value) || value.length > maxLength) {
    throw badInput(
      field,
      `${what} ${preview(value)} must start with a letter, hold only letters, digits and underscores, and have at most ${maxLength} characters`,
    );
  }
}

function checkAttributes(inputs: AttributeInput[]): AttributeDef[] {
  if (inputs.length === 0) throw badInput('input.attributes', 'an extension schema needs at least one attribute');
  const seen = new Map<string, number>();
  return inputs.map((input, i) => {
    const field = `input.attributes.${i}`;
    checkIdentifier(input.name, MAX_ATTRIBUTE_NAME_LENGTH, `${field}.name`, 'attribute name');
    // Attribute names are JSON keys and match exactly; names differing only in case would only confuse.
    const earlier = seen.get(input.name.toLowerCase());
    if (earlier !== undefined)
      throw badInput(`${field}.name`, `attribute ${input.name} repeats attribute ${earlier} (${inputs[earlier].name})`);
    seen.set(input.name.toLowerCase(), i);
    const length = input.length ?? null;
    if (length !== null && input.type !== 'STRING') throw badInput(`${field}.length`, 'length applies to STRING attributes only');
    if (length !== null && length < 1) throw badInput(`${field}.length`, 'length must be positive');
    const attribute: AttributeDef = { name: input.name, type: input.type, length, mandatory: input.mandatory ?? false, default: null };
    if (input.default != null) {
      const stored = storeAttributeValue(attribute, input.default);
      if (!stored.ok) throw badInput(`${field}.default`, `the default of ${input.name} ${stored.problem}`);
      attribute.default = stored.value;
    }
    return attribute;
  });
}

function checkUnique(input: CreateExtensionSchemaInput, attributes: AttributeDef[]): string[] {
  const unique = input.unique ?? [];
  if (!input.multiValued) {
    if (unique.length > 0) throw badInput('input.unique', 'unique attributes key the records of multi-valued extensions only');
    return [];
  }
  // Record updates and deletions select a record by its unique attributes, so there must be some.
  if (unique.length === 0)
    throw badInput('input.unique', 'a multi-valued extension needs at least one unique attribute to key its records');
  unique.forEach((name, i) => {
    if (!attributes.some((a) => a.name === name))
      throw badInput(`input.unique.${i}`, `unique names ${preview(name)}, which is not one of the attributes`);
    if (unique.indexOf(name) !== i) throw badInput(`input.unique.${i}`, `${name} is listed twice`);
  });
  return unique;
}

/** Creates an extension schema and returns its id; CONFLICT when the name is taken (any case). */
export async function createExtensionSchema(tx: Tx, input: CreateExtensionSchemaInput): Promise<number> {
  checkIdentifier(input.name, MAX_NAME_LENGTH, 'input.name', 'extension name');
  const attributes = checkAttributes(input.attributes);
  const unique = checkUnique(input, attributes);
  // Every record must carry its key, so unique attributes are mandatory whatever the input said.
  for (const attribute of attributes) if (unique.includes(attribute.name)) attribute.mandatory = true;
  const { rows } = await tx.query<{ id: number }>(
    `INSERT INTO extension_schema (owner, name, name_key, multi_valued, "unique", attributes)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (owner, name_key) DO NOTHING RETURNING id`,
    [input.owner, input.name, input.name.toLowerCase(), input.multiValued, unique, JSON.stringify(attributes)],
  );
  if (!rows[0]) throw conflict(`a ${input.owner} extension named ${input.name} already exists (names are case-insensitive)`);
  await notifyMetadataChanged(tx);
  return rows[0].id;
}

/**
 * Deletes a schema and its data on every owner of its kind; refused while an identification key
 * reads customer data from it. Returns the schema's name and how many owners lost data. While an
 * owner holding data of this extension is locked by another transaction, the attempt is undone
 * (releasing the schema to writers waiting for it) and retried; CONFLICT if that lasts too long.
 */
export async function deleteExtensionSchema(tx: Tx, owner: ExtensionOwner, name: string): Promise<{ name: string; removedFrom: number }> {
  const giveUpAt = Date.now() + DELETE_PATIENCE_MS;
  for (let attempt = 1; ; attempt++) {
    await tx.query('SAVEPOINT delete_extension_schema');
    try {
      const deleted = await deleteSchemaAndData(tx, owner, name);
      await tx.query('RELEASE SAVEPOINT delete_extension_schema');
      return deleted;
    } catch (error) {
      if ((error as { code?: unknown }).code !== LOCK_NOT_AVAILABLE) throw error;
      await tx.query('ROLLBACK TO SAVEPOINT delete_extension_schema');
      if (Date.now() >= giveUpAt) throw conflict(`data of extension ${name} is being changed right now; try again`);
      await sleep(Math.min(attempt * 20, 200));
    }
  }
}

async function deleteSchemaAndData(tx: Tx, owner: ExtensionOwner, name: string) {
  const nameKey = name.toLowerCase();
  const { rows } = await tx.query<{ id: number; name: string }>(
    'SELECT id, name FROM extension_schema WHERE owner = $1 AND name_key = $2 FOR UPDATE',
    [owner, nameKey],
  );
  if (!rows[0]) throw notFound(`${owner} extension schema`, name);
  if (owner === 'CUSTOMER') {
    const keys = await tx.query<{ name: string }>('SELECT name FROM identification_key WHERE lower(source) = $1 ORDER BY name', [nameKey]);
    if (keys.rows.length > 0) {
      throw conflict(
        `extension ${rows[0].name} is used by identification key(s) ${keys.rows.map((k) => k.name).join(', ')}; delete those first`,
      );
    }
  }
  await tx.query('DELETE FROM extension_schema WHERE id = $1', [rows[0].id]);
  await notifyMetadataChanged(tx);
  return { name: rows[0].name, removedFrom: await removeExtensionEverywhere(tx, owner, rows[0].name) };
}
