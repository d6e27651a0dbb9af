import { builder } from '../graphql/builder.js';
import { completeInputFields } from '../lifecycle/event.type.js';
import { write } from '../lifecycle/write.js';
import { ServicePayloadRef } from './service.payload.js';
import { completeService } from './service.rules.js';

const CompleteServiceInput = builder.inputType('CompleteServiceInput', {
  fields: (t) => ({ serviceId: t.id({ required: true }), ...completeInputFields(t) }),
});

builder.mutationField('completeService', (t) =>
  t.field({
    type: ServicePayloadRef,
    description: 'Completes a service. Its states and tasks are not completed with it.',
    args: { input: t.arg({ type: CompleteServiceInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      await write(ctx, (tx, mode) => completeService(tx, input, mode));
      return { service: input.serviceId };
    },
  }),
);
