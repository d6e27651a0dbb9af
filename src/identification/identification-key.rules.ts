// Identification keys: creating one (validated against its source, backfilled into
// customer_identity) and choosing the key an identify request uses.
import type { Tx } from '../db/transaction.js';
import { badInput, conflict, notFound } from '../graphql/errors.js';
import { backfillKeyIdentity, PROFILE_SOURCE } from './customer-identity.js';

export interface CreateIdentificationKeyInput {
  name: string;
  source: string;
  attributes: string[];
  unique?: boolean | null;
}

export interface IdentificationKey {
  id: number;
  name: string;
  source: string;
  attributes: string[];
  unique: boolean;
}

const KEY_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const MAX_KEY_ATTRIBUTES = 10;

function checkKeyAttributes(attributes: string[]): void {
  if (attributes.length === 0) throw badInput('input.attributes', 'a key needs at least one attribute');
  if (attributes.length > MAX_KEY_ATTRIBUTES) {
    throw badInput('input.attributes', `a key has at most ${MAX_KEY_ATTRIBUTES} attributes`);
  }
  attributes.forEach((name, i) => {
    if (name.trim() === '') throw badInput(`input.attributes.${i}`, 'attribute names must not be empty');
    if (attributes.indexOf(name) !== i) throw badInput(`input.attributes.${i}`, `attribute "${name}" is listed twice`);
  });
}

/**
 * The stored source: "profile", or the CUSTOMER extension schema's own spelling of its name (the
 * key under which customers' extensions are stored). The schema row stays key-share-locked until
 * commit, like extension writers lock it, so a concurrent deleteExtensionSchema waits and then
 * sees this key.
 */
async function resolveSource(tx: Tx, source: string, attributes: string[]): Promise<string> {
  if (source.trim().toLowerCase() === PROFILE_SOURCE) return PROFILE_SOURCE;
  const { rows } = await tx.query<{ name: string; attributes: { name: string }[] }>(
    `SELECT name, attributes FROM extension_schema WHERE owner = 'CUSTOMER' AND name_key = lower($1) FOR KEY SHARE`,
    [source.trim()],
  );
  const schema = rows[0];
  if (!schema) {
    const { rows: existing } = await tx.query<{ name: string }>(
      `SELECT name FROM extension_schema WHERE owner = 'CUSTOMER' ORDER BY name_key`,
    );
    const names = existing.map((r) => r.name);
    throw badInput(
      'input.source',
      `source "${source}" is neither "${PROFILE_SOURCE}" nor a CUSTOMER extension schema` +
        (names.length ? ` (existing: ${names.join(', ')})` : ' (none exist)'),
    );
  }
  const known = schema.attributes.map((a) => a.name);
  attributes.forEach((name, i) => {
    if (!known.includes(name)) {
      throw badInput(
        `input.attributes.${i}`,
        `"${name}" is not an attribute of the customer extension ${schema.name} (its attributes: ${known.join(', ')})`,
      );
    }
  });
  return schema.name;
}

/** Creates a key and indexes every existing customer under it; returns the key's id. */
export async function createIdentificationKey(tx: Tx, input: CreateIdentificationKeyInput): Promise<number> {
  if (!KEY_NAME.test(input.name)) {
    throw badInput('input.name', 'a key name starts with a letter, then letters, digits or _, at most 64 characters');
  }
  checkKeyAttributes(input.attributes);
  const source = await resolveSource(tx, input.source, input.attributes);
  // Until this commits, no customer is written (so none can miss the backfill below or slip a
  // duplicate past a unique key); reads and identify go on. Writers that already hold the table
  // are waited for, so the backfill sees what they wrote.
  await tx.query('LOCK TABLE customer IN EXCLUSIVE MODE');
  const { rows } = await tx.query<{ id: number }>(
    `INSERT INTO identification_key (name, source, attributes, "unique") VALUES ($1, $2, $3, $4)
     ON CONFLICT (name) DO NOTHING RETURNING id`,
    [input.name, source, input.attributes, input.unique ?? false],
  );
  if (rows.length === 0) throw conflict(`identification key "${input.name}" already exists`);
  await backfillKeyIdentity(tx, rows[0].id);
  return rows[0].id;
}

/**
 * Deletes a key and its rows of customer_identity; NOT_FOUND when there is none of that name.
 * Customer writes wait meanwhile (as while a key is created), so none indexes a customer under
 * the key being deleted.
 */
export async function deleteIdentificationKey(tx: Tx, name: string): Promise<void> {
  await tx.query('LOCK TABLE customer IN EXCLUSIVE MODE');
  const { rows } = await tx.query<{ id: number }>('DELETE FROM identification_key WHERE name = $1 RETURNING id', [name]);
  if (!rows[0]) throw notFound('identification key', name);
  await tx.query('DELETE FROM customer_identity WHERE key_id = $1', [rows[0].id]);
}

/** Every key, in creation order (the order identify tries them in). */
export async function listIdentificationKeys(db: Pick<Tx, 'query'>): Promise<IdentificationKey[]> {
  const { rows } = await db.query<IdentificationKey>('SELECT id, name, source, attributes, "unique" FROM identification_key ORDER BY id');
  return rows;
}

const describeKey = (key: IdentificationKey) => `${key.name} (${key.attributes.join(', ')})`;

const supplied = (attributes: Record<string, unknown>, name: string) => attributes[name] != null;

/**
 * The key an identify request uses: the named one, or else the first key whose attributes are all
 * supplied. Failures name the keys that exist, so the caller can fix the request.
 */
export function chooseKey(
  keys: IdentificationKey[],
  attributes: Record<string, unknown>,
  keyName: string | null | undefined,
): IdentificationKey {
  const existing = keys.length ? `existing keys: ${keys.map(describeKey).join('; ')}` : 'no identification key exists yet';
  if (keyName != null) {
    const key = keys.find((k) => k.name === keyName);
    if (!key) throw badInput('key', `unknown identification key "${keyName}"; ${existing}`);
    const missing = key.attributes.filter((name) => !supplied(attributes, name));
    if (missing.length) throw badInput('attributes', `key ${key.name} needs ${missing.join(', ')} in attributes`);
    return key;
  }
  const key = keys.find((k) => k.attributes.every((name) => supplied(attributes, name)));
  if (!key) throw badInput('attributes', `no identification key is covered by the attributes given; ${existing}`);
  return key;
}

type Scalar = string | number | boolean;
const isScalar = (value: unknown): value is Scalar => ['string', 'number', 'boolean'].includes(typeof value);

/** Most value combinations one identify request may match: each is one probe of the index. */
export const MAX_IDENTIFY_COMBINATIONS = 1000;

/** How many value combinations `attributes` hold for `names` (all of them when not given): the product of their array lengths. */
export function identifyCombinations(attributes: Record<string, unknown>, names: string[] = Object.keys(attributes)): number {
  return names.reduce((product, name) => {
    const value = attributes[name];
    return product * (Array.isArray(value) ? Math.max(value.length, 1) : 1);
  }, 1);
}

/**
 * The records identify matches for `key`: one per combination of the values given for the key's
 * attributes (a value is a string, number or boolean, or a non-empty array of them, matching any
 * element), each record holding one value per attribute. Normalising many small records costs
 * PostgreSQL time in proportion to their number; one record holding every value cost it the
 * square of theirs.
 */
export function identifyDocument(key: IdentificationKey, attributes: Record<string, unknown>): Record<string, Scalar>[] {
  for (const name of key.attributes) {
    const value = attributes[name];
    const valid = isScalar(value) || (Array.isArray(value) && value.length > 0 && value.every(isScalar));
    if (!valid) {
      throw badInput(`attributes.${name}`, `${name} must be a string, number or boolean, or a non-empty array of them`);
    }
  }
  const combinations = identifyCombinations(attributes, key.attributes);
  if (combinations > MAX_IDENTIFY_COMBINATIONS) {
    throw badInput(
      'attributes',
      `at most ${MAX_IDENTIFY_COMBINATIONS} value combinations may be matched at once; key ${key.name} gets ${combinations} from the values given`,
    );
  }
  let records: Record<string, Scalar>[] = [{}];
  for (const name of key.attributes) {
    const value = attributes[name] as Scalar | Scalar[];
    const values = Array.isArray(value) ? value : [value];
    records = records.flatMap((record) => values.map((v) => ({ ...record, [name]: v })));
  }
  return records;
}
