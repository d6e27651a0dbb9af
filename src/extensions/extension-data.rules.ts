// The dedicated operations on one owner's extension data: replace, merge, update or delete a
// record, delete an extension. Each runs inside the caller's transaction, loads the schema
// (share-locked), locks the owner row, and returns the owner's extensions afterwards.
import type { Tx } from '../db/transaction.js';
import { badInput, notFound } from '../graphql/errors.js';
import { preview } from './attribute-types.js';
import { type ExtensionOwner, lockOwnerExtensions, type StoredExtensions, storedKey, writeOwnerExtensions } from './extension-owner.js';
import { type ExtensionSchemaDef, loadSchemas } from './extension-schema.rules.js';
import {
  checkAttribute,
  checkExtensionValue,
  checkRecord,
  type ExtensionsMode,
  isJsonObject,
  type JsonObject,
  recordKey,
  unknownExtension,
} from './validate.js';

export interface ExtensionTarget {
  owner: ExtensionOwner;
  ownerId: string;
  name: string;
  /** Of a state or task: the service it must belong to, when the caller names one. */
  serviceId?: string | null;
}

interface OwnerExtensions {
  extensions: StoredExtensions;
  /** The key the extension is stored under now (any spelling of its name); undefined when absent. */
  key: string | undefined;
}

async function lockTarget(tx: Tx, { owner, ownerId, name, serviceId }: ExtensionTarget): Promise<OwnerExtensions> {
  const extensions = await lockOwnerExtensions(tx, owner, ownerId, serviceId);
  return { extensions, key: storedKey(extensions, name) };
}

async function loadSchema(tx: Tx, { owner, name }: ExtensionTarget): Promise<ExtensionSchemaDef | undefined> {
  return (await loadSchemas(tx, owner, [name])).get(name.toLowerCase());
}

/** Loads the extension's schema (needed in strict mode), then locks the owner. */
async function open(tx: Tx, target: ExtensionTarget, mode: ExtensionsMode) {
  const schema = await loadSchema(tx, target);
  if (!schema && mode === 'strict') throw unknownExtension('input.name', target.owner, target.name);
  return { schema, ...(await lockTarget(tx, target)) };
}

/** Like open, for the record operations: they need a multi-valued schema in either mode. */
async function openRecords(tx: Tx, target: ExtensionTarget) {
  const schema = await loadSchema(tx, target);
  if (!schema) throw unknownExtension('input.name', target.owner, target.name);
  if (!schema.multiValued) {
    throw badInput(
      'input.name',
      `${schema.name} is single-valued: record operations apply to multi-valued extensions; use updateExtension or mergeExtension`,
    );
  }
  return { schema, ...(await lockTarget(tx, target)) };
}

/** Stores `value` (or nothing, when undefined) as the extension `name`, replacing any spelling of it. */
function save(tx: Tx, target: ExtensionTarget, { extensions, key }: OwnerExtensions, name: string, value: unknown) {
  const next = { ...extensions };
  if (key !== undefined) delete next[key];
  if (value !== undefined) next[name] = value;
  return writeOwnerExtensions(tx, target.owner, target.ownerId, next, name);
}

function recordsOf({ extensions, key }: OwnerExtensions): unknown[] {
  const value = key === undefined ? undefined : extensions[key];
  return Array.isArray(value) ? value : [];
}

/** Index of the record whose unique attributes equal those of `keyed`; NOT_FOUND when none. */
function findRecord(schema: ExtensionSchemaDef, records: unknown[], keyed: JsonObject): number {
  const wanted = recordKey(schema, keyed);
  const index = records.findIndex((r) => isJsonObject(r) && recordKey(schema, r) === wanted);
  if (index < 0) {
    throw notFound(`${schema.name} record with`, schema.unique.map((u) => `${u}=${JSON.stringify(keyed[u])}`).join(', '));
  }
  return index;
}

/** Replaces one extension's whole value. */
export async function updateExtension(tx: Tx, input: ExtensionTarget & { value: unknown }, mode: ExtensionsMode) {
  const opened = await open(tx, input, mode);
  const { schema } = opened;
  const value = schema ? checkExtensionValue(schema, input.value, 'input.value') : input.value;
  return save(tx, input, opened, schema?.name ?? opened.key ?? input.name, value);
}

/**
 * Merges keys into an object extension, creating it if absent. As in JSON Merge Patch, a key
 * sent as null removes that attribute. The merged object is validated as a whole.
 */
export async function mergeExtension(tx: Tx, input: ExtensionTarget & { value: JsonObject }, mode: ExtensionsMode) {
  const opened = await open(tx, input, mode);
  const { schema, extensions, key } = opened;
  if (schema?.multiValued) {
    throw badInput('input.name', `${schema.name} is multi-valued: merge applies to single-valued extensions; use updateExtensionRecord`);
  }
  const current = key === undefined ? {} : extensions[key];
  if (!isJsonObject(current))
    throw badInput('input.name', `${key} holds ${preview(current)}, not an object: there is nothing to merge into`);
  const merged: JsonObject = { ...current };
  for (const [attribute, value] of Object.entries(input.value)) {
    if (value === null) delete merged[attribute];
    else merged[attribute] = value;
  }
  const value = schema ? checkExtensionValue(schema, merged, 'input.value') : merged;
  return save(tx, input, opened, schema?.name ?? key ?? input.name, value);
}

/** Replaces the record of a multi-valued extension whose unique attributes match `record`'s. */
export async function updateExtensionRecord(tx: Tx, input: ExtensionTarget & { record: JsonObject }) {
  const opened = await openRecords(tx, input);
  const { schema } = opened;
  const record = checkRecord(schema, input.record, 'input.record');
  const records = [...recordsOf(opened)];
  records[findRecord(schema, records, record)] = record;
  return save(tx, input, opened, schema.name, records);
}

/** Deletes the record of a multi-valued extension whose unique attributes equal `key`. */
export async function deleteExtensionRecord(tx: Tx, input: ExtensionTarget & { key: JsonObject }) {
  const opened = await openRecords(tx, input);
  const { schema } = opened;
  for (const name of Object.keys(input.key)) {
    if (!schema.unique.includes(name)) {
      throw badInput(
        `input.key.${name}`,
        `${preview(name)} is not a unique attribute of ${schema.name}; its key is (${schema.unique.join(', ')})`,
      );
    }
  }
  const key: JsonObject = {};
  for (const name of schema.unique) {
    const field = `input.key.${name}`;
    if (input.key[name] == null) throw badInput(field, `the key of ${schema.name} needs ${name}`);
    key[name] = checkAttribute(schema, schema.attributes.find((a) => a.name === name)!, input.key[name], field);
  }
  const records = recordsOf(opened);
  const index = findRecord(schema, records, key);
  return save(tx, input, opened, schema.name, records.toSpliced(index, 1));
}

/** Removes one extension from its owner; NOT_FOUND when the owner does not have it. */
export async function deleteExtension(tx: Tx, input: ExtensionTarget) {
  const locked = await lockTarget(tx, input);
  if (locked.key === undefined) throw notFound(`extension ${input.name} of ${input.owner.toLowerCase()}`, input.ownerId);
  return save(tx, input, locked, locked.key, undefined);
}
