import { ServiceNode } from '../context-tree/nodes.js';
import { writeOnce } from '../graphql/write.js';
import { defineItemMutation, startInputFields } from '../lifecycle/item-mutation.js';
import { SERVICE } from '../lifecycle/lifecycle.rules.js';
import { ServicePayloadRef } from './service.payload.js';
import { type StartServiceInput, startService } from './service.rules.js';

defineItemMutation<StartServiceInput>('startService', {
  kind: SERVICE,
  node: ServiceNode,
  payload: ServicePayloadRef,
  description: 'Starts a service for a customer or, with only a contact key, an anonymous one.',
  fields: (t) => ({
    customerId: t.string({ description: 'The customer; omit to start an anonymous service.' }),
    contactKey: t.string({ description: 'Finds an anonymous service later, e.g. a phone number.' }),
    ...startInputFields(t, SERVICE),
  }),
  run: (ctx, input, returning) => writeOnce(ctx, (tx, mode) => startService(tx, input, mode, returning)),
});
