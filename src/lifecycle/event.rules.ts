// Builds the stored form of a start or completion event from its input fields.
import { resolveAttributeRefs } from '../business-attributes/resolve.js';
import type { Tx } from '../db/transaction.js';
import type { EventInput } from './event.type.js';

export interface StoredEvent {
  /** When it happened: the client's timestamp or the server's time at processing. */
  at: Date;
  /** The event fields other than the timestamp, as stored in the `started`/`completed` column. */
  fields: Record<string, unknown>;
}

/** `typeName` picks the business attribute mappings (e.g. `State.mediaType`). */
export async function buildEvent(tx: Tx, typeName: string, input: EventInput, path: string): Promise<StoredEvent> {
  const refs = await resolveAttributeRefs(
    tx,
    typeName,
    { applicationType: input.applicationType, resourceType: input.resourceType, mediaType: input.mediaType },
    path,
  );
  const fields: Record<string, unknown> = {};
  const copy = { sessionId: input.sessionId, interactionId: input.interactionId, applicationId: input.applicationId, resourceId: input.resourceId, ...refs };
  for (const [key, value] of Object.entries(copy)) if (value != null) fields[key] = value;
  return { at: input.timestamp ?? new Date(), fields };
}
