import { ServiceNode } from '../context-tree/nodes.js';
import { write } from '../graphql/write.js';
import { defineItemMutation, startInputFields } from '../lifecycle/item-mutation.js';
import { SERVICE } from '../lifecycle/lifecycle.rules.js';
import { ServicePayloadRef } from './service.payload.js';
import { type AssociateServiceInput, associateService } from './service.rules.js';

defineItemMutation<AssociateServiceInput>('associateService', {
  kind: SERVICE,
  node: ServiceNode,
  payload: ServicePayloadRef,
  description: 'Links a service to a customer, overriding any earlier association; start-event fields and extensions sent are updated.',
  fields: (t) => ({
    serviceId: t.id({ required: true }),
    customerId: t.string({ required: true }),
    ...startInputFields(t, SERVICE),
  }),
  run: (ctx, input, returning) => write(ctx, (tx, mode) => associateService(tx, input, mode, returning)),
});
