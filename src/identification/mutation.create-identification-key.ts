import { withTransaction } from '../db/transaction.js';
import { builder } from '../graphql/builder.js';
import { createIdentificationKey } from './identification-key.rules.js';
import { IdentificationKeyPayloadRef } from './identification-key.type.js';

/** Indexing every customer under a new key takes 20-40 s per million customers (README). */
const KEY_CREATION_TIMEOUT_MS = 10 * 60_000;

const CreateIdentificationKeyInput = builder.inputType('CreateIdentificationKeyInput', {
  fields: (t) => ({
    name: t.string({ required: true, description: 'Starts with a letter, then letters, digits or _; at most 64 characters.' }),
    source: t.string({ required: true, description: '"profile", or the name of one customer extension schema.' }),
    attributes: t.stringList({
      required: true,
      description: 'The attributes matched, all from the source (1 to 10; for an extension, attributes of its schema).',
    }),
    unique: t.boolean({ description: 'Refuse writes that would let this key match two customers. Default false.' }),
  }),
});

builder.mutationField('createIdentificationKey', (t) =>
  t.field({
    type: IdentificationKeyPayloadRef,
    description: 'Creates an identification key and indexes every existing customer under it; customer writes wait until it is done.',
    args: { input: t.arg({ type: CreateIdentificationKeyInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      id: await withTransaction(ctx.db.pool, (tx) => createIdentificationKey(tx, input), { timeoutMs: KEY_CREATION_TIMEOUT_MS }),
    }),
  }),
);
