// AttributeValue: how a type-like field (service type, media type, disposition...) is returned:
// both the business value's id and its name, so the client picks what it shows.
import { builder } from '../graphql/builder.js';

export interface AttributeValueShape {
  id: number | null;
  name: string | null;
}

export const AttributeValueRef = builder.objectRef<AttributeValueShape>('AttributeValue').implement({
  description: 'A business value: its numeric id and its name (at least one is set).',
  fields: (t) => ({
    id: t.exposeInt('id', { nullable: true }),
    name: t.exposeString('name', { nullable: true }),
  }),
});
