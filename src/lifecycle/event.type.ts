// Event: a start or completion event, shared by services, states and tasks, with the input
// fields every start/complete mutation accepts.

import { AttributeValueRef, type AttributeValueShape } from '../business-attributes/attribute-value.type.js';
import { builder, type Types } from '../graphql/builder.js';

export interface EventShape {
  timestamp: string;
  sessionId?: string | null;
  interactionId?: string | null;
  applicationType?: AttributeValueShape | null;
  applicationId?: number | null;
  resourceType?: AttributeValueShape | null;
  resourceId?: number | null;
  mediaType?: AttributeValueShape | null;
}

export const EventRef = builder.objectRef<EventShape>('Event').implement({
  description: 'A start or completion event.',
  fields: (t) => ({
    timestamp: t.field({ type: 'DateTime', resolve: (e) => e.timestamp }),
    sessionId: t.exposeString('sessionId', { nullable: true }),
    interactionId: t.exposeString('interactionId', { nullable: true }),
    applicationType: t.field({ type: AttributeValueRef, nullable: true, resolve: (e) => e.applicationType }),
    applicationId: t.exposeInt('applicationId', { nullable: true }),
    resourceType: t.field({ type: AttributeValueRef, nullable: true, resolve: (e) => e.resourceType }),
    resourceId: t.exposeInt('resourceId', { nullable: true }),
    mediaType: t.field({ type: AttributeValueRef, nullable: true, resolve: (e) => e.mediaType }),
  }),
});

/** The event input fields shared by every start/complete/associate input. */
export interface EventInput {
  timestamp?: Date | null;
  sessionId?: string | null;
  interactionId?: string | null;
  applicationType?: number | string | null;
  applicationId?: number | null;
  resourceType?: number | string | null;
  resourceId?: number | null;
  mediaType?: number | string | null;
  extensions?: Record<string, unknown> | null;
}

/** Adds the shared event fields to an input type's field map. */
export const eventInputFields = (t: PothosSchemaTypes.InputFieldBuilder<Types, 'InputObject'>) => ({
  timestamp: t.field({ type: 'DateTime', description: 'Event time; the server time when omitted.' }),
  sessionId: t.string(),
  interactionId: t.string(),
  applicationType: t.field({ type: 'AttributeRef' }),
  applicationId: t.int(),
  resourceType: t.field({ type: 'AttributeRef' }),
  resourceId: t.int(),
  mediaType: t.field({ type: 'AttributeRef' }),
  extensions: t.field({
    type: 'JSONObject',
    description: '{ extensionName: object | [object] }; each extension sent replaces its previous value.',
  }),
});

/** Input fields of every completion: disposition, its description and the event fields. */
export const completeInputFields = (t: PothosSchemaTypes.InputFieldBuilder<Types, 'InputObject'>) => ({
  disposition: t.field({ type: 'AttributeRef' }),
  dispositionDesc: t.string(),
  ...eventInputFields(t),
});
