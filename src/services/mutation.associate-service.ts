import { ServiceNode } from '../context-tree/nodes.js';
import { builder } from '../graphql/builder.js';
import { write } from '../graphql/write.js';
import { eventInputFields } from '../lifecycle/event.type.js';
import { treeWrite } from '../tree/payload.js';
import { ServicePayloadRef } from './service.payload.js';
import { type AssociateServiceInput, associateService } from './service.rules.js';

const AssociateServiceInputRef = builder.inputType('AssociateServiceInput', {
  fields: (t) => ({
    serviceId: t.id({ required: true }),
    customerId: t.string({ required: true }),
    serviceType: t.field({ type: 'AttributeRef' }),
    estDuration: t.int({ description: 'Estimated duration in seconds.' }),
    ...eventInputFields(t),
  }),
});

builder.mutationField('associateService', (t) =>
  t.field({
    type: ServicePayloadRef,
    description: 'Links a service to a customer, overriding any earlier association; start-event fields and extensions sent are updated.',
    args: { input: t.arg({ type: AssociateServiceInputRef, required: true }) },
    ...treeWrite({ service: ServiceNode }, async (ctx, { input }: { input: AssociateServiceInput }, returning) => ({
      service: await write(ctx, (tx, mode) => associateService(tx, input, mode, returning.service)),
    })),
  }),
);
