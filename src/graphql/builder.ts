// The Pothos builder: plugins and scalars only. Domain types live in their own folders.
import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { SCOPES, type Scope } from '../auth/scopes.js';
import type PrismaTypes from '../generated/pothos-types.js';
import { getDatamodel } from '../generated/pothos-types.js';
import type { Context } from './context.js';
import { fieldCost } from './cost.js';
import InputTextPlugin from './input-text.js';
import RootFieldScopesPlugin, { forbiddenError } from './root-field-scopes.js';
import { AttributeRefScalar, type AttributeRefValue, DateTimeScalar, JSONObjectScalar, JSONScalar } from './scalars.js';

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  AuthScopes: Record<Scope, boolean>;
  DefaultFieldNullability: false;
  DefaultInputFieldRequiredness: false;
  Scalars: {
    ID: { Input: string; Output: string | number | bigint };
    DateTime: { Input: Date; Output: Date | string };
    JSON: { Input: unknown; Output: unknown };
    JSONObject: { Input: Record<string, unknown>; Output: Record<string, unknown> };
    AttributeRef: { Input: AttributeRefValue; Output: never };
  };
}>({
  // Scope auth first, so its checks wrap every other plugin's resolver (a caller without the
  // scope hears FORBIDDEN, whatever its input).
  plugins: [ScopeAuthPlugin, RootFieldScopesPlugin, InputTextPlugin, ComplexityPlugin, RelayPlugin, PrismaPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authScopes: (ctx) => Object.fromEntries(SCOPES.map((scope) => [scope, ctx.auth.scopes.has(scope)])) as Record<Scope, boolean>,
    unauthorizedError: (_parent, _ctx, info) => forbiddenError(info),
  },
  // Only the per-field cost model; server/use-cost-limit.ts enforces the limit before execution.
  complexity: { fieldComplexity: fieldCost, disabled: true },
  prisma: {
    client: (ctx) => ctx.db.prisma,
    // Prisma 7's generated client no longer carries the DMMF the plugin reads.
    dmmf: getDatamodel(),
    exposeDescriptions: true,
    filterConnectionTotalCount: true,
    // A resolver that forgets to spread `query` silently costs an extra query per row.
    onUnusedQuery: process.env.NODE_ENV === 'production' ? null : 'error',
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    nodesQueryOptions: false,
    nodeTypeOptions: { description: 'An object with a globally unique id, refetchable with `node(id:)`.' },
    pageInfoTypeOptions: {},
    // Refetch loads rows planned from the selection, like any lookup: tree/declare.ts defines it.
    nodeQueryOptions: false,
    mutationInputArgOptions: {},
    clientMutationIdInputOptions: {},
    clientMutationIdFieldOptions: {},
    cursorFieldOptions: {},
    nodeFieldOptions: {},
    edgesFieldOptions: {},
    pageInfoFieldOptions: {},
    hasNextPageFieldOptions: {},
    hasPreviousPageFieldOptions: {},
    startCursorFieldOptions: {},
    endCursorFieldOptions: {},
    idFieldOptions: {},
  },
});

builder.addScalarType('DateTime', DateTimeScalar);
builder.addScalarType('JSON', JSONScalar);
builder.addScalarType('JSONObject', JSONObjectScalar);
builder.addScalarType('AttributeRef', AttributeRefScalar);

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});

/** The builder's schema types, for helpers that take Pothos field or argument builders. */
export type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;
