// Builds the stored form of a start or completion event from its input fields.
import { resolveAttributeRefs } from '../business-attributes/resolve.js';
import type { Tx } from '../db/transaction.js';
import { badInput } from '../graphql/errors.js';
import type { EventInput } from './event.type.js';

export interface StoredEvent {
  /** When it happened: the client's timestamp or the server's time at processing. */
  at: Date;
  /** The event fields other than the timestamp, as stored in the `started`/`completed` column. */
  fields: Record<string, unknown>;
}

/** Longest session or interaction id accepted: ids from telephony and chat systems are short. */
const MAX_ID_LENGTH = 256;

export function checkLength(value: string | null | undefined, max: number, field: string): void {
  if (value != null && value.length > max) throw badInput(field, `${field.split('.').at(-1)} is longer than ${max} characters`);
}

/** `typeName` picks the business attribute mappings (e.g. `State.mediaType`). */
export async function buildEvent(tx: Tx, typeName: string, input: EventInput, path: string): Promise<StoredEvent> {
  checkLength(input.sessionId, MAX_ID_LENGTH, `${path}.sessionId`);
  checkLength(input.interactionId, MAX_ID_LENGTH, `${path}.interactionId`);
  const refs = await resolveAttributeRefs(
    tx,
    typeName,
    { applicationType: input.applicationType, resourceType: input.resourceType, mediaType: input.mediaType },
    path,
  );
  const fields: Record<string, unknown> = {};
  const copy = {
    sessionId: input.sessionId,
    interactionId: input.interactionId,
    applicationId: input.applicationId,
    resourceId: input.resourceId,
    ...refs,
  };
  for (const [key, value] of Object.entries(copy)) if (value != null) fields[key] = value;
  return { at: input.timestamp ?? new Date(), fields };
}
