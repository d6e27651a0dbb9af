// Customer profiles: explicit creation and update, with their attribute and extension rules.
// (Implicit creation by a service is ensureCustomer in services/service.rules.ts.)
import { randomUUID } from 'node:crypto';
import type { Tx } from '../db/transaction.js';
import { eventCtes } from '../events/outbox.js';
import { type ExtensionsMode, validateExtensions } from '../extensions/validate.js';
import { badInput, conflict, notFound } from '../graphql/errors.js';
import { refreshCustomerIdentity } from '../identification/customer-identity.js';
import { checkKey } from '../services/service.rules.js';

export interface CreateCustomerInput {
  customerId?: string | null;
  attributes?: Record<string, unknown> | null;
  extensions?: Record<string, unknown> | null;
}

export interface UpdateCustomerInput extends CreateCustomerInput {
  customerId: string;
}

export type CoreAttributes = Record<string, string | string[]>;

const MAX_ATTRIBUTE_NAME = 128;
const MAX_VALUE_LENGTH = 1024;
const MAX_VALUES = 50;

function checkValue(value: unknown, field: string): void {
  if (typeof value !== 'string') {
    throw badInput(
      field,
      'core attribute values are strings, or arrays of strings whose first element is primary; send numbers and booleans as strings',
    );
  }
  if (value.trim() === '') throw badInput(field, 'an attribute value must not be empty; leave the attribute out instead');
  if (value.length > MAX_VALUE_LENGTH) throw badInput(field, `an attribute value is at most ${MAX_VALUE_LENGTH} characters`);
}

/**
 * Checks core profile attributes: any names; each value a non-empty string, or for a
 * multi-valued attribute a non-empty array of them whose first element is the primary one.
 * Numbers and booleans are refused rather than converted, so what is stored is what identify
 * compares and what clients read back.
 */
export function checkAttributes(attributes: Record<string, unknown>, path: string): CoreAttributes {
  for (const [name, value] of Object.entries(attributes)) {
    const field = `${path}.${name}`;
    if (name.trim() === '') throw badInput(path, 'attribute names must not be empty');
    if (name.length > MAX_ATTRIBUTE_NAME) throw badInput(field, `attribute names are at most ${MAX_ATTRIBUTE_NAME} characters`);
    if (Array.isArray(value)) {
      if (value.length === 0) throw badInput(field, 'a multi-valued attribute needs at least its primary value; leave it out instead');
      if (value.length > MAX_VALUES) throw badInput(field, `a multi-valued attribute has at most ${MAX_VALUES} values`);
      for (const [i, element] of value.entries()) checkValue(element, `${field}.${i}`);
    } else {
      checkValue(value, field);
    }
  }
  return attributes as CoreAttributes;
}

/** The event of a write to the customer rows in `changed`. */
const CUSTOMER_CHANGED = eventCtes('changed c', { type: 'CUSTOMER_CHANGED', customerId: 'c.customer_id' });

/** Creates a customer with a profile; returns its id (generated when not given). */
export async function createCustomer(tx: Tx, input: CreateCustomerInput, mode: ExtensionsMode): Promise<string> {
  checkKey(input.customerId, 'input.customerId');
  const attributes = checkAttributes(input.attributes ?? {}, 'input.attributes');
  const extensions = await validateExtensions(tx, 'CUSTOMER', input.extensions ?? {}, mode, 'input.extensions');
  const customerId = input.customerId ?? randomUUID();
  // Also refuses ids that a service created implicitly: they are the same records.
  const { rowCount } = await tx.query(
    `WITH changed AS (
       INSERT INTO customer (customer_id, attributes, extensions) VALUES ($1, $2, $3) ON CONFLICT (customer_id) DO NOTHING
       RETURNING customer_id
     ),
     ${CUSTOMER_CHANGED}
     SELECT FROM changed`,
    [customerId, JSON.stringify(attributes), JSON.stringify(extensions)],
  );
  if (rowCount === 0) throw conflict(`customer ${customerId} already exists; use updateCustomer to change its profile`);
  await refreshCustomerIdentity(tx, customerId);
  return customerId;
}

/**
 * Updates a profile: attributes, when given, replace all core attributes; each extension sent
 * replaces that extension, the others are kept.
 */
export async function updateCustomer(tx: Tx, input: UpdateCustomerInput, mode: ExtensionsMode): Promise<string> {
  const attributes = input.attributes == null ? null : checkAttributes(input.attributes, 'input.attributes');
  const extensions = await validateExtensions(tx, 'CUSTOMER', input.extensions ?? {}, mode, 'input.extensions');
  const { rowCount } = await tx.query(
    `WITH changed AS (
       UPDATE customer SET attributes = coalesce($2::jsonb, attributes), extensions = extensions || $3::jsonb, updated_at = now()
        WHERE customer_id = $1
       RETURNING customer_id
     ),
     ${CUSTOMER_CHANGED}
     SELECT FROM changed`,
    [input.customerId, attributes && JSON.stringify(attributes), JSON.stringify(extensions)],
  );
  if (rowCount === 0) throw notFound('customer', input.customerId);
  await refreshCustomerIdentity(tx, input.customerId);
  return input.customerId;
}
