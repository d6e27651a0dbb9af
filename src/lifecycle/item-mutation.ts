// The mutations that write one service, state or task share one shape: `<name>(input: <Name>Input!)`
// returning `{ service | state | task }`, the row written, read in the client's selection (by the
// write's own RETURNING when it can, see tree/payload.ts).
import type { ObjectRef } from '@pothos/core';
import { builder, type Types } from '../graphql/builder.js';
import type { Context } from '../graphql/context.js';
import { write } from '../graphql/write.js';
import type { DeclaredNode } from '../tree/declare.js';
import type { LoadedRow } from '../tree/load.js';
import { type PayloadIds, treeWrite } from '../tree/payload.js';
import type { Returning } from '../tree/returning.js';
import { completeInputFields, eventInputFields } from './event.type.js';
import { type CompleteInput, completeItem, type Kind, SERVICE } from './lifecycle.rules.js';

type InputFieldBuilder = PothosSchemaTypes.InputFieldBuilder<Types, 'InputObject'>;

/** The input fields of a start or an update of `kind`: its business type, its estimate, the event fields. */
export const startInputFields = (t: InputFieldBuilder, kind: Kind) => ({
  [kind.typeField]: t.field({ type: 'AttributeRef' }),
  estDuration: t.int({ description: 'Estimated duration in seconds.' }),
  ...eventInputFields(t),
});

/** `<name>(input: <Name>Input!)` with the input `fields`, whose `run` writes the row of `kind` the payload returns. */
export function defineItemMutation<Input>(
  name: string,
  options: {
    kind: Kind;
    node: DeclaredNode<unknown>;
    payload: ObjectRef<Types, PayloadIds<string>>;
    description: string;
    fields: (t: InputFieldBuilder) => Record<string, PothosSchemaTypes.InputFieldRef<Types, unknown>>;
    run: (ctx: Context, input: Input, returning: Returning | undefined) => Promise<string | LoadedRow>;
  },
): void {
  const { kind, node, run } = options;
  const field = kind.table;
  const input = builder.inputType(`${name.charAt(0).toUpperCase()}${name.slice(1)}Input`, { fields: options.fields });
  builder.mutationField(name, (t) =>
    t.field({
      type: options.payload,
      description: options.description,
      args: { input: t.arg({ type: input, required: true }) },
      // Pothos types the input from the fields built above; `Input` is the rule's view of it.
      ...treeWrite({ [field]: node }, async (ctx, args: { input: unknown }, returning) => ({
        [field]: await run(ctx, args.input as Input, returning[field]),
      })),
    }),
  );
}

/** completeService, completeState, completeTask: each locks its item, checks it is active and completes it (completeItem). */
export function defineCompleteMutation(
  kind: Kind,
  node: DeclaredNode<unknown>,
  payload: ObjectRef<Types, PayloadIds<string>>,
  description: string,
): void {
  const idField = `${kind.table}Id`;
  defineItemMutation<CompleteInput & Record<string, unknown>>(`complete${kind.typeName}`, {
    kind,
    node,
    payload,
    description,
    fields: (t) => ({
      ...completeInputFields(t),
      // A state's or task's service, when the caller names it (as REST paths do): another is NOT_FOUND.
      ...(kind !== SERVICE && { serviceId: t.id({ description: 'The service it belongs to; NOT_FOUND when it belongs to another.' }) }),
      [idField]: t.id({ required: true }),
    }),
    run: (ctx, input, returning) =>
      write(ctx, (tx, mode) => completeItem(tx, kind, input[idField] as string, input, mode, `input.${idField}`, returning)),
  });
}
