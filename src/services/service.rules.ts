// The lifecycle rules of services, as plain functions over a transaction.
import type { Tx } from '../db/transaction.js';
import { resolveAttributeRefs } from '../business-attributes/resolve.js';
import { validateExtensions, type ExtensionsMode } from '../extensions/validate.js';
import { badInput } from '../graphql/errors.js';
import { buildEvent, checkLength } from '../lifecycle/event.rules.js';
import { checkEstDuration, lockItem, SERVICE } from '../lifecycle/lifecycle.rules.js';
import type { EventInput } from '../lifecycle/event.type.js';

export interface StartServiceInput extends EventInput {
  customerId?: string | null;
  contactKey?: string | null;
  serviceType?: number | string | null;
  estDuration?: number | null;
}

const MAX_KEY_LENGTH = 256;

export function checkKey(value: string | null | undefined, field: string): void {
  if (value == null) return;
  if (value.trim() === '') throw badInput(field, `${field.split('.').at(-1)} must not be empty`);
  checkLength(value, MAX_KEY_LENGTH, field);
}

/** Creates the customer record on first mention; a later mention finds it. */
export async function ensureCustomer(tx: Tx, customerId: string): Promise<void> {
  await tx.query('INSERT INTO customer (customer_id) VALUES ($1) ON CONFLICT (customer_id) DO NOTHING', [customerId]);
}

/** Starts a service and returns its id. */
export async function startService(tx: Tx, input: StartServiceInput, mode: ExtensionsMode): Promise<string> {
  if (input.customerId == null && input.contactKey == null) {
    throw badInput('input.customerId', 'a service needs a customerId or a contactKey (or both)');
  }
  checkKey(input.customerId, 'input.customerId');
  checkKey(input.contactKey, 'input.contactKey');
  checkEstDuration(input.estDuration, 'input.estDuration');
  const event = await buildEvent(tx, 'Service', input, 'input');
  const { serviceType } = await resolveAttributeRefs(tx, 'Service', { serviceType: input.serviceType }, 'input');
  const extensions = await validateExtensions(tx, 'SERVICE', input.extensions ?? {}, mode, 'input.extensions');
  // The customer is created on first mention in the same statement: one round trip per start.
  const { rows } = await tx.query<{ service_id: string }>(
    `WITH mentioned AS (
       INSERT INTO customer (customer_id) SELECT $1::text WHERE $1::text IS NOT NULL ON CONFLICT (customer_id) DO NOTHING
     )
     INSERT INTO service (customer_id, contact_key, service_type_id, service_type_name, est_duration, started_at, started, extensions)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING service_id`,
    [
      input.customerId ?? null,
      input.contactKey ?? null,
      serviceType?.id ?? null,
      serviceType?.name ?? null,
      input.estDuration ?? null,
      event.at,
      event.fields,
      extensions,
    ],
  );
  return rows[0].service_id;
}

export interface AssociateServiceInput extends EventInput {
  serviceId: string;
  customerId: string;
  serviceType?: number | string | null;
  estDuration?: number | null;
}

/**
 * Links a service to a customer, overriding any earlier association: the service leaves the
 * anonymous lists and the previous customer's history. Start-event fields sent are updated.
 */
export async function associateService(tx: Tx, input: AssociateServiceInput, mode: ExtensionsMode): Promise<void> {
  checkKey(input.customerId, 'input.customerId');
  checkEstDuration(input.estDuration, 'input.estDuration');
  const service = await lockItem(tx, SERVICE, input.serviceId, 'UPDATE', 'input.serviceId');
  if (input.timestamp && service.completedAt && input.timestamp > service.completedAt) {
    throw badInput('input.timestamp', 'the start time cannot move after the completion time');
  }
  const event = await buildEvent(tx, 'Service', input, 'input');
  const { serviceType } = await resolveAttributeRefs(tx, 'Service', { serviceType: input.serviceType }, 'input');
  const extensions = await validateExtensions(tx, 'SERVICE', input.extensions ?? {}, mode, 'input.extensions');
  await ensureCustomer(tx, input.customerId);
  await tx.query(
    `UPDATE service
        SET customer_id = $2,
            started_at = coalesce($3, started_at),
            started = started || $4::jsonb,
            service_type_id = CASE WHEN $5::boolean THEN $6 ELSE service_type_id END,
            service_type_name = CASE WHEN $5::boolean THEN $7 ELSE service_type_name END,
            est_duration = coalesce($8, est_duration),
            extensions = extensions || $9::jsonb
      WHERE service_id = $1`,
    [
      service.id,
      input.customerId,
      input.timestamp ?? null,
      event.fields,
      serviceType !== undefined,
      serviceType?.id ?? null,
      serviceType?.name ?? null,
      input.estDuration ?? null,
      extensions,
    ],
  );
}

