// Operations 30-38 and 47-49 of the inventory: extension schemas of services, states, tasks and
// customer profiles, created, read and deleted through the GraphQL schema operations.
import { z } from 'zod';
import { created, done, notFound, RestError, type Route, route } from './route.js';
import { integer } from './wire.js';

type Owner = 'SERVICE' | 'STATE' | 'TASK' | 'CUSTOMER';

const KINDS: { kind: string; owner: Owner; numbers: [create: number, query: number, remove: number]; ids: [string, string, string] }[] = [
  { kind: 'services', owner: 'SERVICE', numbers: [30, 31, 32], ids: ['CV.WS.SRV.META.1', 'CV.WS.SRV.META.2', 'CV.WS.SRV.META.3'] },
  { kind: 'states', owner: 'STATE', numbers: [33, 34, 35], ids: ['CV.WS.SRV.META.5', 'CV.WS.SRV.META.6', '-'] },
  { kind: 'tasks', owner: 'TASK', numbers: [36, 37, 38], ids: ['-', 'CV.WS.SRV.META.8', '-'] },
  { kind: 'profiles', owner: 'CUSTOMER', numbers: [48, 47, 49], ids: ['CV.WS.PROF.META.4', 'CV.WS.PROF.META.3', 'CV.WS.PROF.META.5'] },
];

/** `true`, `false`, or the strings the reference's examples also send. */
const bool = z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')]);

const AttributeSchema = z.object({
  name: z.string(),
  type: z
    .string()
    .transform((value) => value.toUpperCase())
    .meta({ description: 'string, integer, long, double, date, datetime, currency or boolean (any case).' }),
  length: integer.nullish().meta({ description: 'string: the maximum length; 0 means no limit.' }),
  default: z.unknown().optional(),
  mandatory: bool.nullish(),
  unique: bool.nullish().meta({ description: 'Part of the record key (multi-valued extensions).' }),
  encrypt: bool.nullish().meta({ description: 'Must be false or absent: the gateway does not encrypt attributes.' }),
});

const SchemaBody = z.object({
  name: z.string().meta({ description: 'A letter, then letters, digits or _; at most 26 characters; case-insensitive.' }),
  type: z
    .string()
    .regex(/^(single-valued|multi-valued|classifier)$/i, 'must be single-valued, multi-valued or classifier')
    .transform((value) => value.toLowerCase()),
  attributes: z.array(AttributeSchema),
  unique: z.array(z.string()).nullish().meta({ description: 'Attributes whose values key each record (multi-valued).' }),
});

const SCHEMA_FIELDS = 'name multiValued unique attributes { name type length mandatory default }';

interface SchemaData {
  name: string;
  multiValued: boolean;
  unique: string[];
  attributes: { name: string; type: string; length: number | null; mandatory: boolean; default: unknown }[];
}

/** A schema as the reference shows it. */
function wireSchema(schema: SchemaData) {
  return {
    name: schema.name,
    type: schema.multiValued ? 'multi-valued' : 'single-valued',
    attributes: schema.attributes.map((a) => ({
      name: a.name,
      type: a.type.toLowerCase(),
      ...(a.length !== null && { length: a.length }),
      ...(a.default !== null && { default: a.default }),
      mandatory: a.mandatory,
      unique: schema.unique.includes(a.name),
    })),
    ...(schema.unique.length > 0 && { unique: schema.unique }),
  };
}

const WireSchema = z.object({
  name: z.string(),
  type: z.enum(['single-valued', 'multi-valued']),
  attributes: z.array(z.record(z.string(), z.unknown())),
  unique: z.array(z.string()).optional(),
});

const CREATE = `mutation RestCreateExtensionSchema($input: CreateExtensionSchemaInput!) { createExtensionSchema(input: $input) { extensionSchema { name } } }`;
const LIST = `query RestExtensionSchemas($owner: ExtensionOwner) { extensionSchemas(owner: $owner) { ${SCHEMA_FIELDS} } }`;
const ONE = `query RestExtensionSchema($owner: ExtensionOwner!, $name: String!) { extensionSchema(owner: $owner, name: $name) { ${SCHEMA_FIELDS} } }`;
const DELETE = `mutation RestDeleteExtensionSchema($input: DeleteExtensionSchemaInput!) { deleteExtensionSchema(input: $input) { deleted } }`;

function schemaRoutes({ kind, owner, numbers, ids }: (typeof KINDS)[number]): Route[] {
  const base = `/metadata/${kind}/extensions`;
  const what = kind === 'profiles' ? 'Profile' : `${kind.charAt(0).toUpperCase()}${kind.slice(1, -1)}`;
  const ref = (i: 0 | 1 | 2, name: string) => `${numbers[i]} ${name}${ids[i] === '-' ? '' : ` (${ids[i]})`}`;
  return [
    route({
      method: 'POST',
      path: base,
      reference: ref(0, `Create ${what} Extension Schema`),
      summary: `Declares an extension of ${kind}.`,
      graphql: `createExtensionSchema(input: { owner: ${owner}, ... })`,
      body: SchemaBody,
      operation: ({ body }) => {
        body.attributes.forEach((a, i) => {
          if (a.encrypt) throw new RestError(501, 'NOT_IMPLEMENTED', 'this gateway does not encrypt attributes', `attributes.${i}.encrypt`);
        });
        const unique = [...new Set([...(body.unique ?? []), ...body.attributes.filter((a) => a.unique).map((a) => a.name)])];
        return {
          document: CREATE,
          variables: {
            input: {
              owner,
              name: body.name,
              multiValued: body.type === 'multi-valued',
              unique: unique.length > 0 ? unique : undefined,
              attributes: body.attributes.map((a) => ({
                name: a.name,
                type: a.type,
                // The reference writes 0 for "no limit".
                length: a.length ? a.length : undefined,
                mandatory: a.mandatory ?? undefined,
                default: a.default ?? undefined,
              })),
            },
          },
        };
      },
      reply: (data, _input, ctx) => {
        const { name } = data.createExtensionSchema.extensionSchema;
        return created(ctx, `${base}/${encodeURIComponent(name)}`, { name });
      },
      success: { status: 201, description: 'Created; `Location` names the schema.', schema: z.object({ name: z.string() }) },
    }),
    route({
      method: 'GET',
      path: base,
      reference: ref(1, `Query ${what} Extension Schemas`),
      summary: `Lists the extension schemas of ${kind}.`,
      graphql: `extensionSchemas(owner: ${owner})`,
      operation: () => ({ document: LIST, variables: { owner } }),
      reply: (data) => ({ status: 200, body: (data.extensionSchemas as SchemaData[]).map(wireSchema) }),
      success: { status: 200, description: 'The schemas, by name.', schema: z.array(WireSchema) },
    }),
    route({
      method: 'GET',
      path: `${base}/{name}`,
      reference: ref(1, `Query ${what} Extension Schema`),
      summary: `Reads one extension schema of ${kind} (the name is case-insensitive).`,
      graphql: `extensionSchema(owner: ${owner}, name)`,
      operation: ({ params }) => ({ document: ONE, variables: { owner, name: params.name } }),
      reply: (data, { params }) => {
        if (!data.extensionSchema) throw notFound(`no ${kind} extension schema named ${params.name}`);
        return { status: 200, body: wireSchema(data.extensionSchema) };
      },
      success: { status: 200, description: 'The schema.', schema: WireSchema },
    }),
    route({
      method: 'DELETE',
      path: `${base}/{name}`,
      reference: ref(2, `Delete ${what} Extension Schema`),
      summary: `Deletes an extension schema of ${kind} and that extension's data everywhere.`,
      graphql: `deleteExtensionSchema(input: { owner: ${owner}, name })`,
      operation: ({ params }) => ({ document: DELETE, variables: { input: { owner, name: params.name } } }),
      reply: () => done(204),
      success: { status: 204, description: 'Deleted.' },
    }),
  ];
}

export const SCHEMA_ROUTES = KINDS.filter((k) => k.owner !== 'CUSTOMER').flatMap(schemaRoutes);
export const PROFILE_SCHEMA_ROUTES = schemaRoutes(KINDS.find((k) => k.owner === 'CUSTOMER')!);
