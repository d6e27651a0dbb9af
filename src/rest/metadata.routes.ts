// Operations 50-53 of the inventory: identification keys listed, created and deleted, and the
// business attributes that validate type-like fields; each through its GraphQL operation.
import { z } from 'zod';
import { created, done, notFound, type Route, route } from './route.js';

interface KeyData {
  name: string;
  source: string;
  attributes: string[];
  unique: boolean;
}

const PROFILE = 'profile';

/** A key as the reference lists it: an extension's attributes prefixed with its name. */
const wireKey = (key: KeyData) => ({
  name: key.name,
  source: key.source,
  attributes: key.source === PROFILE ? key.attributes : key.attributes.map((a) => `${key.source}.${a}`),
  unique: key.unique,
});

const WireKey = z.object({ name: z.string(), source: z.string(), attributes: z.array(z.string()), unique: z.boolean() });

const KEYS = `query RestIdentificationKeys { identificationKeys { name source attributes unique } }`;
const CREATE_KEY = `mutation RestCreateIdentificationKey($input: CreateIdentificationKeyInput!) { createIdentificationKey(input: $input) { identificationKey { name } } }`;
const DELETE_KEY = `mutation RestDeleteIdentificationKey($input: DeleteIdentificationKeyInput!) { deleteIdentificationKey(input: $input) { deleted } }`;
const ATTRIBUTES = `query RestBusinessAttributes { businessAttributes { id name displayName fields values { id name displayName } } }`;

const KeyBody = z.object({
  name: z.string(),
  source: z.string().meta({ description: '"profile", or the name of one profile extension.' }),
  attributes: z.array(z.string()).meta({ description: 'Attribute names; an extension attribute may be written `extension.attribute`.' }),
  unique: z.boolean().nullish(),
});

/** The reference's names of the fields a business attribute validates: `Service.type`, `State.media_type`... */
function referenceField(field: string): string {
  const [type, name] = field.split('.');
  return `${type}.${/^(service|state|task)Type$/.test(name) ? 'type' : name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;
}

interface AttributeData {
  id: number;
  name: string;
  displayName: string | null;
  fields: string[];
  values: { id: number; name: string; displayName: string | null }[];
}

const wireAttribute = (attribute: AttributeData) => ({
  name: attribute.name,
  dbid: attribute.id,
  ...(attribute.displayName !== null && { display_name: attribute.displayName }),
  cv_attributes: attribute.fields.map(referenceField),
  values: attribute.values.map((v) => ({ name: v.name, dbid: v.id, ...(v.displayName !== null && { display_name: v.displayName }) })),
});

const WireAttribute = z.object({
  name: z.string(),
  dbid: z.number().int(),
  display_name: z.string().optional(),
  cv_attributes: z.array(z.string()),
  values: z.array(z.object({ name: z.string(), dbid: z.number().int(), display_name: z.string().optional() })),
});

function attributesRoute(path: string, summary: string): Route {
  return route({
    method: 'GET',
    path,
    reference: '53 Query Business Attribute Schema (CV.WS.CONFIG.BA)',
    summary,
    graphql: 'businessAttributes',
    query: z.object({
      'cv-attribute': z
        .string()
        .optional()
        .meta({ description: 'Only the attribute validating this field, e.g. Service.type, State.media_type.' }),
    }),
    operation: () => ({ document: ATTRIBUTES, variables: {} }),
    reply: (data, { params, query }) => {
      let attributes = (data.businessAttributes as AttributeData[]).map(wireAttribute);
      const field = query['cv-attribute'];
      if (field !== undefined) attributes = attributes.filter((a) => a.cv_attributes.some((f) => f.toLowerCase() === field.toLowerCase()));
      if (params.ba_name === undefined) return { status: 200, body: attributes };
      const one = attributes.find((a) => a.name === params.ba_name);
      if (!one) throw notFound(`no business attribute named ${params.ba_name}`);
      return { status: 200, body: one };
    },
    success: {
      status: 200,
      description: 'The business attributes with their values.',
      schema: z.union([z.array(WireAttribute), WireAttribute]),
    },
  });
}

export const METADATA_ROUTES = [
  route({
    method: 'GET',
    path: '/metadata/identification-keys',
    reference: '50 Get Identification Keys (CV.WS.PROF.META.6)',
    summary: 'Lists the identification keys, in the order identify tries them.',
    graphql: 'identificationKeys',
    operation: () => ({ document: KEYS, variables: {} }),
    reply: (data) => ({ status: 200, body: (data.identificationKeys as KeyData[]).map(wireKey) }),
    success: { status: 200, description: 'The keys.', schema: z.array(WireKey) },
  }),
  route({
    method: 'GET',
    path: '/metadata/identification-keys/{key}',
    reference: '50 Get Identification Key (CV.WS.PROF.META.6)',
    summary: 'Reads one identification key.',
    graphql: 'identificationKeys',
    operation: () => ({ document: KEYS, variables: {} }),
    reply: (data, { params }) => {
      const key = (data.identificationKeys as KeyData[]).find((k) => k.name === params.key);
      if (!key) throw notFound(`no identification key named ${params.key}`);
      return { status: 200, body: wireKey(key) };
    },
    success: { status: 200, description: 'The key.', schema: WireKey },
  }),
  route({
    method: 'POST',
    path: '/metadata/identification-keys',
    reference: '51 Create Identification Key',
    summary: 'Creates an identification key and indexes every customer under it.',
    graphql: 'createIdentificationKey(input)',
    body: KeyBody,
    operation: ({ body }) => {
      const prefix = `${body.source.toLowerCase()}.`;
      const attributes = body.attributes.map((a) => (a.toLowerCase().startsWith(prefix) ? a.slice(prefix.length) : a));
      return { document: CREATE_KEY, variables: { input: { name: body.name, source: body.source, attributes, unique: body.unique } } };
    },
    reply: (data, _input, ctx) => {
      const { name } = data.createIdentificationKey.identificationKey;
      return created(ctx, `/metadata/identification-keys/${encodeURIComponent(name)}`, { name });
    },
    success: { status: 201, description: 'Created; `Location` names the key.', schema: z.object({ name: z.string() }) },
  }),
  route({
    method: 'DELETE',
    path: '/metadata/identification-keys/{key}',
    reference: '52 Delete Identification Key (CV.WS.PROF.META.8)',
    summary: 'Deletes an identification key.',
    graphql: 'deleteIdentificationKey(input)',
    operation: ({ params }) => ({ document: DELETE_KEY, variables: { input: { name: params.key } } }),
    reply: () => done(204),
    success: { status: 204, description: 'Deleted.' },
  }),
  attributesRoute('/metadata/business-attributes', 'Lists the business attributes, or the one validating `cv-attribute`.'),
  attributesRoute('/metadata/business-attributes/{ba_name}', 'Reads one business attribute by name.'),
];
