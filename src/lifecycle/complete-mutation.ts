// completeService, completeState and completeTask share one shape: an id, a disposition, the
// event fields; each locks its item, checks it is active and completes it (completeItem).
import type { ObjectRef } from '@pothos/core';
import { builder, type Types } from '../graphql/builder.js';
import { write } from '../graphql/write.js';
import type { DeclaredNode } from '../tree/declare.js';
import { type PayloadIds, treeWrite } from '../tree/payload.js';
import { completeInputFields } from './event.type.js';
import { type CompleteInput, completeItem, type Kind, SERVICE } from './lifecycle.rules.js';

export function defineCompleteMutation<Row>(
  kind: Kind,
  node: DeclaredNode<Row>,
  payload: ObjectRef<Types, PayloadIds<string>>,
  description: string,
): void {
  const field = kind.typeName.charAt(0).toLowerCase() + kind.typeName.slice(1);
  const idField = `${field}Id`;
  const input = builder.inputType(`Complete${kind.typeName}Input`, {
    fields: (t) => ({
      ...completeInputFields(t),
      // A state's or task's service, when the caller names it (as REST paths do): another is NOT_FOUND.
      ...(kind !== SERVICE && { serviceId: t.id({ description: 'The service it belongs to; NOT_FOUND when it belongs to another.' }) }),
      [idField]: t.id({ required: true }),
    }),
  });
  builder.mutationField(`complete${kind.typeName}`, (t) =>
    t.field({
      type: payload,
      description,
      args: { input: t.arg({ type: input, required: true }) },
      ...treeWrite({ [field]: node }, async (ctx, args: { input: unknown }, returning) => {
        const fields = args.input as CompleteInput & Record<string, unknown>;
        const done = await write(ctx, (tx, mode) =>
          completeItem(tx, kind, fields[idField] as string, fields, mode, `input.${idField}`, returning[field]),
        );
        return { [field]: done };
      }),
    }),
  );
}
