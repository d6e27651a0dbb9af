import { builder } from '../graphql/builder.js';

export const StatusEnum = builder.enumType('Status', {
  description: 'ACTIVE: no completion event yet. COMPLETED: a completion event exists.',
  values: ['ACTIVE', 'COMPLETED'] as const,
});
