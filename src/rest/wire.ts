// The reference's wire format: how its request fields are read (ids and types as numbers or
// strings, timestamps without a zone, extensions as extra top-level keys) and how GraphQL data
// is written back (snake_case, ids as numbers, business values as ids or names, absent fields
// left out). Each entity's fields are declared once, as reference name, GraphQL field and kind,
// and both the GraphQL selection and the reply are derived from that declaration.
import { z } from 'zod';
import { RestError } from './route.js';

const DIGITS = /^\d+$/;
const ZONELESS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?$/;

/** A string the reference also accepts as a number (`"interaction_id": 42`). */
export const text = z.union([z.string(), z.number()]).transform(String);

/** An integer, or a string of digits. */
export const integer = z.union([
  z.number().int(),
  z
    .string()
    .regex(/^-?\d+$/, 'must be an integer')
    .transform(Number),
]);

/** An id, as a number or a string; the rules say whether it exists. */
export const id = z.union([z.number().int().nonnegative(), z.string()]).transform(String);

/** A business value by id or name ("long or string"); a string of digits is an id. */
export const attributeRef = z
  .union([z.number().int(), z.string().min(1)])
  .transform((value) => (typeof value === 'string' && DIGITS.test(value) ? Number(value) : value))
  .meta({ description: 'A business attribute value: its numeric id, or its name.' });

/** ISO-8601; the reference reads a timestamp without a zone as UTC. */
export const timestamp = z
  .string()
  .transform((value) => (ZONELESS.test(value) ? `${value}Z` : value))
  .meta({
    description: 'ISO-8601, e.g. 2009-05-12T12:05:12.145Z; without a zone it is read as UTC.',
    examples: ['2009-05-12T12:05:12.145Z'],
  });

/** The fields of every start, completion and transition event. */
export const eventFields = {
  timestamp: timestamp.nullish(),
  session_id: text.nullish(),
  interaction_id: text.nullish(),
  application_type: attributeRef.nullish(),
  application_id: integer.nullish(),
  resource_type: attributeRef.nullish(),
  resource_id: integer.nullish(),
  media_type: attributeRef.nullish(),
};

/** The fields of a completion event. */
export const endFields = {
  ...eventFields,
  disposition: attributeRef.nullish(),
  disposition_desc: z.string().nullish(),
};

type EventBody = { [K in keyof typeof eventFields]?: z.output<(typeof eventFields)[K]> };
type EndBody = EventBody & { disposition?: number | string | null; disposition_desc?: string | null };

/**
 * Every field name of the reference's events, bodies and replies. Never read as an extension: a
 * field of another event (the documented start body carries `disposition`) is accepted and ignored.
 */
const RESERVED = new Set([
  ...Object.keys(endFields),
  'customer_id',
  'contact_key',
  'service_id',
  'state_id',
  'task_id',
  'previous_state_id',
  'service_type',
  'state_type',
  'task_type',
  'est_duration',
  'duration',
  'started',
  'completed',
  'from',
  'to',
  'complete_open_tasks',
]);

/** Fields of the reference 8.5 that ask for capabilities the gateway does not have. */
const UNSUPPORTED_FIELDS: Record<string, string> = {
  ttl: 'expiration (TTL)',
  expiration_time: 'expiration (TTL)',
  auto_complete_after: 'automatic completion',
};

/** The GraphQL event input fields of a body. */
export function eventInput(body: EventBody): Record<string, unknown> {
  return {
    timestamp: body.timestamp,
    sessionId: body.session_id,
    interactionId: body.interaction_id,
    applicationType: body.application_type,
    applicationId: body.application_id,
    resourceType: body.resource_type,
    resourceId: body.resource_id,
    mediaType: body.media_type,
  };
}

/** The GraphQL input fields of a completion body. */
export function endInput(body: EndBody): Record<string, unknown> {
  return { ...eventInput(body), disposition: body.disposition, dispositionDesc: body.disposition_desc };
}

/**
 * The extensions of a body: every top-level key that is not a reference field, with its value
 * as sent (the rules validate it). Undefined when there are none.
 */
export function extensionsOf(body: Record<string, unknown>): Record<string, unknown> | undefined {
  let extensions: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(body)) {
    if (RESERVED.has(key)) continue;
    const capability = UNSUPPORTED_FIELDS[key];
    if (capability) throw new RestError(501, 'NOT_IMPLEMENTED', `${key}: this gateway has no ${capability}`, key);
    (extensions ??= {})[key] = value;
  }
  return extensions;
}

// ---- replies ----

type FieldKind = 'plain' | 'id' | 'value' | 'event';

/** One field of a reply: its reference name, the GraphQL field it comes from, and how it is written. */
export type WireField = readonly [wire: string, graphql: string, kind: FieldKind];

const EVENT_FIELDS: WireField[] = [
  ['timestamp', 'timestamp', 'plain'],
  ['session_id', 'sessionId', 'plain'],
  ['interaction_id', 'interactionId', 'plain'],
  ['application_type', 'applicationType', 'value'],
  ['application_id', 'applicationId', 'plain'],
  ['resource_type', 'resourceType', 'value'],
  ['resource_id', 'resourceId', 'plain'],
  ['media_type', 'mediaType', 'value'],
];

const LIFECYCLE_FIELDS: WireField[] = [
  ['est_duration', 'estDuration', 'plain'],
  ['duration', 'duration', 'plain'],
  ['disposition', 'disposition', 'value'],
  ['disposition_desc', 'dispositionDesc', 'plain'],
  ['started', 'started', 'event'],
  ['completed', 'completed', 'event'],
];

export const SERVICE_FIELDS: WireField[] = [
  ['service_id', 'serviceId', 'id'],
  ['customer_id', 'customerId', 'plain'],
  ['contact_key', 'contactKey', 'plain'],
  ['service_type', 'serviceType', 'value'],
  ...LIFECYCLE_FIELDS,
];

/** A state inside a service: no service_id ("only top-level objects carry service_id"). */
export const STATE_FIELDS: WireField[] = [
  ['state_id', 'stateId', 'id'],
  ['state_type', 'stateType', 'value'],
  ['previous_state_id', 'previousStateId', 'id'],
  ...LIFECYCLE_FIELDS,
];

export const TASK_FIELDS: WireField[] = [
  ['task_id', 'taskId', 'id'],
  ['state_id', 'stateId', 'id'],
  ['task_type', 'taskType', 'value'],
  ...LIFECYCLE_FIELDS,
];

/** Of a state or task answered at the top level. */
export const OWNING_SERVICE: WireField = ['service_id', 'serviceId', 'id'];

const VALUE_SELECTION = '{ id name }';
const EVENT_SELECTION = `{ ${selection(EVENT_FIELDS)} }`;

/** The GraphQL selection of `fields`. */
export function selection(fields: readonly WireField[]): string {
  return fields
    .map(([, field, kind]) => (kind === 'value' ? `${field} ${VALUE_SELECTION}` : kind === 'event' ? `${field} ${EVENT_SELECTION}` : field))
    .join(' ');
}

interface AttributeValue {
  id: number | null;
  name: string | null;
}

/** Ids as JSON numbers, as the reference's examples show them (ids stay below 2^53). */
const idValue = (value: unknown) => (typeof value === 'string' && DIGITS.test(value) ? Number(value) : value);

function write(kind: FieldKind, value: unknown, mapNames: boolean): unknown {
  if (value == null) return undefined;
  if (kind === 'id') return idValue(value);
  if (kind === 'value') {
    const { id: valueId, name } = value as AttributeValue;
    return (mapNames ? (name ?? valueId) : (valueId ?? name)) ?? undefined;
  }
  if (kind === 'event') return wireObject(value as Record<string, unknown>, EVENT_FIELDS, mapNames);
  return value;
}

/** The reply object of `row` (GraphQL data), with the fields of `fields` that are set. */
export function wireObject(row: Record<string, unknown>, fields: readonly WireField[], mapNames: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [wire, field, kind] of fields) {
    const value = write(kind, row[field], mapNames);
    if (value !== undefined) out[wire] = value;
  }
  return out;
}
