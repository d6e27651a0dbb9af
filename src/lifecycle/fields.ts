// The fields services, states and tasks share, resolved from rows built by the tree compiler.
import type { ObjectRef } from '@pothos/core';
import { AttributeValueRef, type AttributeValueShape } from '../business-attributes/attribute-value.type.js';
import { storedKey } from '../extensions/extension-owner.js';
import { builder } from '../graphql/builder.js';
import type { Row } from '../tree/load.js';
import { EventRef, type EventShape } from './event.type.js';
import { StatusEnum } from './status.js';

function extensionByName(extensions: unknown, name: string): unknown {
  const record = (extensions ?? {}) as Record<string, unknown>;
  const key = storedKey(record, name);
  return key === undefined ? null : record[key];
}

/** Adds the lifecycle fields to a Service, State or Task type. */
export function addLifecycleFields(ref: ObjectRef<any, Row>, typeField: string): void {
  builder.objectFields(ref, (t) => ({
    [typeField]: t.field({ type: AttributeValueRef, nullable: true, resolve: (r) => r[typeField] as AttributeValueShape | null }),
    status: t.field({ type: StatusEnum, resolve: (r) => r.status as 'ACTIVE' | 'COMPLETED' }),
    estDuration: t.int({ nullable: true, description: 'Estimated duration in seconds.', resolve: (r) => r.estDuration as number | null }),
    duration: t.float({
      nullable: true,
      description: 'Milliseconds from start to completion; null while active.',
      resolve: (r) => r.duration as number | null,
    }),
    disposition: t.field({ type: AttributeValueRef, nullable: true, resolve: (r) => r.disposition as AttributeValueShape | null }),
    dispositionDesc: t.string({ nullable: true, resolve: (r) => r.dispositionDesc as string | null }),
    started: t.field({ type: EventRef, resolve: (r) => r.started as EventShape }),
    completed: t.field({ type: EventRef, nullable: true, resolve: (r) => r.completed as EventShape | null }),
    extensions: t.field({
      type: 'JSONObject',
      description: '{ extensionName: object | [object] }',
      resolve: (r) => r.extensions as Record<string, unknown>,
    }),
    extension: t.field({
      type: 'JSON',
      nullable: true,
      description: 'One extension by name (case-insensitive); null when absent.',
      args: { name: t.arg.string({ required: true }) },
      resolve: (r, { name }) => extensionByName(r.extensions, name),
    }),
  }));
}
