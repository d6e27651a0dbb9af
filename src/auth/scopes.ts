// Who may call what, in one place: every Query field needs context:read; every Mutation field
// needs context:write, except the administrative ones named here, which need context:admin.
// A new root field is covered by this rule without anyone having to remember it
// (root-field-scopes.ts applies it to the schema as it is built).
export const SCOPES = ['context:read', 'context:write', 'context:admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** Mutations that change what every client relies on: extension schemas, enumerations, identification keys. */
export const ADMIN_MUTATIONS: ReadonlySet<string> = new Set([
  'createExtensionSchema',
  'deleteExtensionSchema',
  'defineBusinessAttribute',
  'createIdentificationKey',
  'deleteIdentificationKey',
]);

export type RootType = 'Query' | 'Mutation' | 'Subscription';

export function requiredScope(rootType: RootType, field: string): Scope {
  if (rootType !== 'Mutation') return 'context:read';
  return ADMIN_MUTATIONS.has(field) ? 'context:admin' : 'context:write';
}

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}
