// ServicePayload: what service mutations return. The service is read back with the client's
// selection (nested states and tasks included) in one statement.
import { builder } from '../graphql/builder.js';
import { loadById } from '../tree/load.js';
import { serviceEntity } from './service.entity.js';
import { ServiceRef } from './service.type.js';

export const ServicePayloadRef = builder.objectRef<{ serviceId: string }>('ServicePayload').implement({
  fields: (t) => ({
    service: t.field({
      type: ServiceRef,
      resolve: async ({ serviceId }, _args, ctx, info) => (await loadById(ctx, info, serviceEntity, serviceId))!,
    }),
  }),
});
