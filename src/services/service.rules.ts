// The lifecycle rules of services, as plain functions over a transaction.

import { resolveAttributeRefs } from '../business-attributes/resolve.js';
import { StaleSchemas } from '../db/metadata-cache.js';
import type { Tx } from '../db/transaction.js';
import { eventCtes, serviceRouting } from '../events/outbox.js';
import { type ExtensionsMode, schemaGuard, validateExtensions, validateExtensionsCached } from '../extensions/validate.js';
import { badInput } from '../graphql/errors.js';
import { buildEvent, checkLength } from '../lifecycle/event.rules.js';
import type { EventInput } from '../lifecycle/event.type.js';
import { checkEstDuration, lockItem, SERVICE } from '../lifecycle/lifecycle.rules.js';
import type { LoadedRow } from '../tree/load.js';
import { type Returning, returningColumn, written } from '../tree/returning.js';

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

/** Starts a service and returns its id, or the row the client selected. One statement: see writeOnce. */
export async function startService(
  tx: Tx,
  input: StartServiceInput,
  mode: ExtensionsMode,
  returning?: Returning,
): Promise<string | LoadedRow> {
  if (input.customerId == null && input.contactKey == null) {
    throw badInput('input.customerId', 'a service needs a customerId or a contactKey (or both)');
  }
  checkKey(input.customerId, 'input.customerId');
  checkKey(input.contactKey, 'input.contactKey');
  checkEstDuration(input.estDuration, 'input.estDuration');
  const event = await buildEvent(tx, 'Service', input, 'input');
  const { serviceType } = await resolveAttributeRefs(tx, 'Service', { serviceType: input.serviceType }, 'input');
  const { stored, schemaIds } = await validateExtensionsCached(tx, 'SERVICE', input.extensions ?? {}, mode, 'input.extensions');
  const values: unknown[] = [
    input.customerId ?? null,
    input.contactKey ?? null,
    serviceType?.id ?? null,
    serviceType?.name ?? null,
    input.estDuration ?? null,
    event.at,
    event.fields,
    stored,
  ];
  // ONE statement: the schemas are held, the customer is created on first mention and the
  // service inserted together, so the rule runs without a transaction of its own (autocommit).
  const { rows } = await tx.query<{ id: string; j?: LoadedRow }>(
    `WITH guard AS (SELECT ${schemaGuard(schemaIds, values)} AS ok),
     mentioned AS (
       INSERT INTO customer (customer_id) SELECT $1::text WHERE $1::text IS NOT NULL AND (SELECT ok FROM guard)
       ON CONFLICT (customer_id) DO NOTHING
     ),
     inserted AS (
       INSERT INTO service (customer_id, contact_key, service_type_id, service_type_name, est_duration, started_at, started, extensions)
       SELECT $1::text, $2::text, $3::int, $4::text, $5::int, $6::timestamptz, $7::jsonb, $8::jsonb WHERE (SELECT ok FROM guard)
       RETURNING service_id, customer_id, contact_key, service_id::text AS id${returningColumn(returning, 'service', values)}
     ),
     ${eventCtes('inserted', { type: 'SERVICE_STARTED', ...serviceRouting('inserted') })}
     SELECT id${returning ? ', j' : ''} FROM inserted`,
    values,
  );
  if (!rows[0]) throw new StaleSchemas();
  return written(rows[0]);
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
export async function associateService(
  tx: Tx,
  input: AssociateServiceInput,
  mode: ExtensionsMode,
  returning?: Returning,
): Promise<string | LoadedRow> {
  checkKey(input.customerId, 'input.customerId');
  checkEstDuration(input.estDuration, 'input.estDuration');
  const service = await lockItem(tx, SERVICE, input.serviceId, 'UPDATE', 'input.serviceId');
  if (input.timestamp && service.completedAt && input.timestamp > service.completedAt) {
    throw badInput('input.timestamp', 'the start time cannot move after the completion time');
  }
  const started = await buildEvent(tx, 'Service', input, 'input');
  const { serviceType } = await resolveAttributeRefs(tx, 'Service', { serviceType: input.serviceType }, 'input');
  const extensions = await validateExtensions(tx, 'SERVICE', input.extensions ?? {}, mode, 'input.extensions');
  await ensureCustomer(tx, input.customerId);
  const values: unknown[] = [
    service.id,
    input.customerId,
    input.timestamp ?? null,
    started.fields,
    serviceType !== undefined,
    serviceType?.id ?? null,
    serviceType?.name ?? null,
    input.estDuration ?? null,
    extensions,
  ];
  // The event reads the service as it was before this statement (locked above): the customer it leaves.
  const event = eventCtes('service s WHERE s.service_id = $1', {
    type: 'SERVICE_ASSOCIATED',
    ...serviceRouting('s'),
    customerId: '$2',
    previousCustomerId: 's.customer_id',
  });
  const { rows } = await tx.query<{ id: string; j?: LoadedRow }>(
    `WITH ${event}
     UPDATE service
        SET customer_id = $2,
            started_at = coalesce($3, started_at),
            started = started || $4::jsonb,
            service_type_id = CASE WHEN $5::boolean THEN $6 ELSE service_type_id END,
            service_type_name = CASE WHEN $5::boolean THEN $7 ELSE service_type_name END,
            est_duration = coalesce($8, est_duration),
            extensions = extensions || $9::jsonb
      WHERE service_id = $1
      RETURNING service_id::text AS id${returningColumn(returning, 'service', values)}`,
    values,
  );
  return written(rows[0]);
}
