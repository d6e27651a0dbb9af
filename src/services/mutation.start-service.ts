import { ServiceNode } from '../context-tree/nodes.js';
import { builder } from '../graphql/builder.js';
import { writeOnce } from '../graphql/write.js';
import { eventInputFields } from '../lifecycle/event.type.js';
import { treeWrite } from '../tree/payload.js';
import { ServicePayloadRef } from './service.payload.js';
import { type StartServiceInput, startService } from './service.rules.js';

const StartServiceInputRef = builder.inputType('StartServiceInput', {
  fields: (t) => ({
    customerId: t.string({ description: 'The customer; omit to start an anonymous service.' }),
    contactKey: t.string({ description: 'Finds an anonymous service later, e.g. a phone number.' }),
    serviceType: t.field({ type: 'AttributeRef' }),
    estDuration: t.int({ description: 'Estimated duration in seconds.' }),
    ...eventInputFields(t),
  }),
});

builder.mutationField('startService', (t) =>
  t.field({
    type: ServicePayloadRef,
    description: 'Starts a service for a customer or, with only a contact key, an anonymous one.',
    args: { input: t.arg({ type: StartServiceInputRef, required: true }) },
    ...treeWrite({ service: ServiceNode }, async (ctx, { input }: { input: StartServiceInput }, returning) => ({
      service: await writeOnce(ctx, (tx, mode) => startService(tx, input, mode, returning.service)),
    })),
  }),
);
