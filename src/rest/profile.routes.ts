// Operations 39-42 and 45-46 of the inventory: customer profiles read, created and updated,
// extension records inserted, and customers identified; each through the GraphQL customer
// operations. A profile is `customer_id`, the core attributes and the extensions, all as
// top-level keys: a value that is an object, or an array of objects, is an extension.
import { z } from 'zod';
import { created, done, notFound, RestError, route } from './route.js';

type Row = Record<string, unknown>;

const isRecord = (value: unknown): value is Row => typeof value === 'object' && value !== null && !Array.isArray(value);
const isExtensionValue = (value: unknown) => isRecord(value) || (Array.isArray(value) && value.length > 0 && value.every(isRecord));

/** A profile body split into core attributes and extensions (customer_id aside). */
function splitProfile(body: Row): { attributes: Row; extensions: Row } {
  const attributes: Row = {};
  const extensions: Row = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === 'customer_id') continue;
    if (isExtensionValue(value)) extensions[key] = value;
    else attributes[key] = value;
  }
  return { attributes, extensions };
}

const ProfileBody = z
  .looseObject({ customer_id: z.string().nullish().meta({ description: 'The id to give the customer; generated when omitted.' }) })
  .meta({
    description:
      'Core attributes as top-level keys (a string, or an array of strings whose first is primary); an object or an array of objects is an extension.',
  });

const ExtensionsBody = z
  .record(z.string(), z.unknown())
  .meta({ description: '{ extension name: object | [object] }; each replaces that extension of the customer.' });

const names = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim().toLowerCase())
    .filter(Boolean),
);

const PROFILE_FIELDS = 'customerId attributes extensions';
const READ = `query RestProfile($id: String!) { customer(customerId: $id) { ${PROFILE_FIELDS} } }`;
const CREATE = `mutation RestCreateProfile($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { customerId } } }`;
const UPDATE = `mutation RestUpdateProfile($input: UpdateCustomerInput!) { updateCustomer(input: $input) { customer { customerId } } }`;
const IDENTIFY = `query RestIdentify($attributes: JSONObject!, $key: String, $first: Int) { identifyCustomers(attributes: $attributes, key: $key, first: $first) { ${PROFILE_FIELDS} } }`;
const SCHEMAS = `query RestProfileSchema { extensionSchemas(owner: CUSTOMER) { name multiValued } }`;

/** The profile as the reference shows it: the extensions wanted ('all', or lower-case names). */
function wireProfile(customer: { customerId: string; attributes: Row; extensions: Row }, wanted: Set<string> | 'all' | undefined): Row {
  const profile: Row = { customer_id: customer.customerId, ...customer.attributes };
  if (wanted) {
    for (const [name, value] of Object.entries(customer.extensions)) {
      if (!(name in profile) && (wanted === 'all' || wanted.has(name.toLowerCase()))) profile[name] = value;
    }
  }
  return profile;
}

const wantedOf = (list: string[] | undefined): Set<string> | 'all' | undefined =>
  list === undefined ? undefined : list.includes('*') ? 'all' : new Set(list);

/** Field paths of the customer mutations as the profile body names them. */
const profileField = (field: string) =>
  field.replace(/^input\.(attributes|extensions)\./, '').replace(/^input\.customerId$/, 'customer_id');

/** Identify's own parameters; every other query parameter is an attribute to match. */
const IDENTIFY_PARAMETERS = new Set(['id_key', 'include_profile', 'extensions', 'include_extensions', 'limit']);

const IdentifyQuery = z
  .looseObject({
    id_key: z
      .string()
      .optional()
      .meta({ description: 'The identification key to use; the first one covered by the attributes when omitted.' }),
    include_profile: z.enum(['yes', 'no']).optional().meta({ description: 'yes: whole profiles; no (default): customer ids only.' }),
    extensions: names.optional().meta({ description: 'Extensions to include with include_profile=yes.' }),
    include_extensions: z
      .enum(['always', 'unique'])
      .optional()
      .meta({ description: 'unique (default): extensions only when exactly one customer matches.' }),
    limit: z
      .string()
      .regex(/^\d+$/)
      .transform(Number)
      .optional()
      .meta({ description: 'At most this many customers (default 50, at most 500).' }),
  })
  .meta({ description: 'Other parameters are attribute values: `Name=value`, or `extension.attribute=value` for an extension key.' });

export const PROFILE_ROUTES = [
  route({
    method: 'GET',
    path: '/profiles/{customer_id}',
    reference: '39 Query Customer Profile (CV.WS.PROF.1)',
    summary: 'Reads a profile: its core attributes, and the extensions named in `extensions`.',
    graphql: 'customer(customerId) { attributes extensions }',
    query: z.object({ extensions: names.optional().meta({ description: 'Extension names, comma-separated, or `*`.' }) }),
    operation: ({ params }) => ({ document: READ, variables: { id: params.customer_id } }),
    reply: (data, { params, query }) => {
      if (!data.customer) throw notFound(`customer profile ${params.customer_id} does not exist`);
      return { status: 200, body: wireProfile(data.customer, wantedOf(query.extensions)) };
    },
    success: { status: 200, description: 'The profile.', schema: z.record(z.string(), z.unknown()) },
  }),
  route({
    method: 'PUT',
    path: '/profiles/{customer_id}',
    reference: '40 Update Customer Profile (CV.WS.PROF.2)',
    summary: 'Replaces the core attributes of a profile; each extension sent replaces that extension, the others are kept.',
    graphql: 'updateCustomer(input)',
    body: ProfileBody,
    operation: ({ params, body }) => {
      const { attributes, extensions } = splitProfile(body);
      return { document: UPDATE, variables: { input: { customerId: params.customer_id, attributes, extensions } } };
    },
    reply: () => done(),
    success: { status: 200, description: 'Updated.' },
    fields: profileField,
  }),
  route({
    method: 'POST',
    path: '/profiles',
    reference: '41 Create Customer Profile (CV.WS.PROF.3)',
    summary: 'Creates a customer profile.',
    graphql: 'createCustomer(input)',
    body: ProfileBody,
    operation: ({ body }) => {
      const { attributes, extensions } = splitProfile(body);
      return { document: CREATE, variables: { input: { customerId: body.customer_id ?? undefined, attributes, extensions } } };
    },
    reply: (data, _input, ctx) => {
      const customerId = data.createCustomer.customer.customerId as string;
      return created(ctx, `/profiles/${encodeURIComponent(customerId)}`, { customer_id: customerId });
    },
    success: { status: 201, description: 'Created; `Location` names the profile.', schema: z.object({ customer_id: z.string() }) },
    fields: profileField,
  }),
  route({
    method: 'POST',
    path: '/profiles/{customer_id}/extensions',
    reference: '42 Insert Extension Records (CV.WS.PROF.4)',
    summary: 'Writes extensions of a profile, each replacing that extension.',
    graphql: 'updateCustomer(input: { customerId, extensions })',
    body: ExtensionsBody,
    operation: ({ params, body }) => ({ document: UPDATE, variables: { input: { customerId: params.customer_id, extensions: body } } }),
    reply: () => done(),
    success: { status: 200, description: 'Written.' },
    fields: profileField,
  }),
  route({
    method: 'GET',
    path: '/profiles',
    reference: '45 Identify Customer (CV.WS.CUSTID.1)',
    summary: 'Finds the customers whose values for an identification key match the attributes given.',
    graphql: 'identifyCustomers(attributes, key)',
    query: IdentifyQuery,
    operation: ({ query }) => {
      const attributes: Row = {};
      for (const [name, value] of Object.entries(query as Row)) {
        if (IDENTIFY_PARAMETERS.has(name)) continue;
        // `extension.attribute`: identification keys name an extension's attributes alone.
        attributes[name.includes('.') ? name.slice(name.indexOf('.') + 1) : name] = value;
      }
      if (Object.keys(attributes).length === 0) {
        throw new RestError(400, 'BAD_USER_INPUT', 'give the attribute values to identify the customer by, e.g. ?PhoneNumber=...');
      }
      return { document: IDENTIFY, variables: { attributes, key: query.id_key, first: query.limit } };
    },
    reply: (data, { query }) => {
      const customers = data.identifyCustomers as { customerId: string; attributes: Row; extensions: Row }[];
      if (query.include_profile !== 'yes') return { status: 200, body: customers.map((c) => ({ customer_id: c.customerId })) };
      const withExtensions = query.include_extensions === 'always' || customers.length === 1;
      return { status: 200, body: customers.map((c) => wireProfile(c, withExtensions ? wantedOf(query.extensions) : undefined)) };
    },
    success: { status: 200, description: 'The customers found, by customer_id.', schema: z.array(z.record(z.string(), z.unknown())) },
    fields: (field) => (field === 'key' ? 'id_key' : field.replace(/^attributes\.?/, '') || undefined),
  }),
  route({
    method: 'GET',
    path: '/metadata/profiles',
    reference: '46 Query Profile Schema',
    summary: 'The profile schema: core attributes are not declared (any name, string values); the extensions are.',
    graphql: 'extensionSchemas(owner: CUSTOMER)',
    operation: () => ({ document: SCHEMAS, variables: {} }),
    reply: (data) => ({
      status: 200,
      body: {
        attributes: [],
        extensions: (data.extensionSchemas as { name: string; multiValued: boolean }[]).map((s) => ({
          name: s.name,
          type: s.multiValued ? 'multi-valued' : 'single-valued',
        })),
      },
    }),
    success: {
      status: 200,
      description: 'No declared core attributes, and the profile extensions.',
      schema: z.object({ attributes: z.array(z.unknown()), extensions: z.array(z.object({ name: z.string(), type: z.string() })) }),
    },
  }),
];
