// The dedicated extension data mutations: updateExtension, mergeExtension,
// updateExtensionRecord, deleteExtensionRecord and deleteExtension. Each returns the owner's
// extensions afterwards.
import type { InputObjectRef } from '@pothos/core';
import type { Tx } from '../db/transaction.js';
import { builder, type Types } from '../graphql/builder.js';
import { write } from '../graphql/write.js';
import { deleteExtension, deleteExtensionRecord, mergeExtension, updateExtension, updateExtensionRecord } from './extension-data.rules.js';
import type { StoredExtensions } from './extension-owner.js';
import { ExtensionOwnerEnum } from './extension-owner.type.js';
import type { ExtensionsMode } from './validate.js';

const ExtensionDataPayloadRef = builder.objectRef<{ extensions: StoredExtensions }>('ExtensionDataPayload').implement({
  fields: (t) => ({
    extensions: t.field({
      type: 'JSONObject',
      description: "The owner's extensions after the change: { extensionName: object | [object] }.",
      resolve: (p) => p.extensions,
    }),
  }),
});

/** Which extension of which owner an operation applies to. */
const targetFields = (t: PothosSchemaTypes.InputFieldBuilder<Types, 'InputObject'>) => ({
  owner: t.field({ type: ExtensionOwnerEnum, required: true }),
  ownerId: t.id({ required: true, description: 'serviceId, stateId, taskId or customerId.' }),
  name: t.string({ required: true, description: 'The extension name (case-insensitive).' }),
  serviceId: t.id({ description: 'Of a STATE or TASK owner: the service it belongs to; NOT_FOUND when it belongs to another.' }),
});

function dataMutation<T extends object>(
  name: string,
  description: string,
  input: InputObjectRef<Types, T>,
  run: (tx: Tx, input: NoInfer<T>, mode: ExtensionsMode) => Promise<StoredExtensions>,
): void {
  builder.mutationField(name, (t) =>
    t.field({
      type: ExtensionDataPayloadRef,
      description,
      args: { input: t.arg({ type: input, required: true }) },
      // Pothos cannot resolve the argument type through the generic T; it is the input's shape.
      resolve: async (_root, args, ctx) => ({
        extensions: await write(ctx, (tx, mode) => run(tx, (args as { input: T }).input, mode)),
      }),
    }),
  );
}

dataMutation(
  'updateExtension',
  "Replaces one extension's whole value (an object, or an array of records when multi-valued).",
  builder.inputType('UpdateExtensionInput', {
    fields: (t) => ({ ...targetFields(t), value: t.field({ type: 'JSON', required: true }) }),
  }),
  // A required JSON field still infers as optional (its type, unknown, admits undefined).
  (tx, { value, ...target }, mode) => updateExtension(tx, { ...target, value }, mode),
);

dataMutation(
  'mergeExtension',
  'Adds or overwrites attributes of a single-valued extension, creating it if absent; an attribute sent as null is removed.',
  builder.inputType('MergeExtensionInput', {
    fields: (t) => ({ ...targetFields(t), value: t.field({ type: 'JSONObject', required: true }) }),
  }),
  mergeExtension,
);

dataMutation(
  'updateExtensionRecord',
  'Replaces the record of a multi-valued extension whose unique attributes match those of `record`.',
  builder.inputType('UpdateExtensionRecordInput', {
    fields: (t) => ({ ...targetFields(t), record: t.field({ type: 'JSONObject', required: true }) }),
  }),
  updateExtensionRecord,
);

dataMutation(
  'deleteExtensionRecord',
  'Deletes the record of a multi-valued extension whose unique attributes equal `key`.',
  builder.inputType('DeleteExtensionRecordInput', {
    fields: (t) => ({
      ...targetFields(t),
      key: t.field({ type: 'JSONObject', required: true, description: 'Exactly the unique attributes: { attribute: value }.' }),
    }),
  }),
  deleteExtensionRecord,
);

dataMutation(
  'deleteExtension',
  'Removes one extension from its owner.',
  builder.inputType('DeleteExtensionInput', { fields: targetFields }),
  deleteExtension,
);
