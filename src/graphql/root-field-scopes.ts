// A Pothos plugin that gives every root field the scope auth/scopes.ts requires of it, for
// @pothos/plugin-scope-auth to enforce before the resolver runs. Root fields do not declare
// scopes themselves: the one rule covers fields added later, and cannot be weakened per field.
import SchemaBuilder, { BasePlugin, type PothosOutputFieldConfig, PothosSchemaError, type SchemaTypes } from '@pothos/core';
import type { GraphQLFieldResolver, GraphQLResolveInfo } from 'graphql';
import { type RootType, requiredScope } from '../auth/scopes.js';
import { DomainError } from './errors.js';

const pluginName = 'rootFieldScopes';

export class RootFieldScopesPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override onOutputFieldConfig(fieldConfig: PothosOutputFieldConfig<Types>): PothosOutputFieldConfig<Types> {
    const { kind } = fieldConfig;
    if (kind !== 'Query' && kind !== 'Mutation' && kind !== 'Subscription') return fieldConfig;
    if ('authScopes' in fieldConfig.pothosOptions && fieldConfig.pothosOptions.authScopes) {
      throw new PothosSchemaError(
        `${fieldConfig.parentType}.${fieldConfig.name} declares authScopes; root field scopes are decided in src/auth/scopes.ts`,
      );
    }
    return {
      ...fieldConfig,
      pothosOptions: { ...fieldConfig.pothosOptions, authScopes: { [requiredScope(kind, fieldConfig.name)]: true } },
    } as PothosOutputFieldConfig<Types>;
  }

  // Scope auth checks resolvers only: a subscription is also refused before it starts.
  override wrapSubscribe(
    subscribe: GraphQLFieldResolver<unknown, Types['Context'], object> | undefined,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> | undefined {
    if (!subscribe || fieldConfig.kind !== 'Subscription') return subscribe;
    const scope = requiredScope('Subscription', fieldConfig.name);
    return (parent, args, ctx, info) => {
      if (!(ctx as { auth: { scopes: ReadonlySet<string> } }).auth.scopes.has(scope)) throw forbiddenError(info);
      return subscribe(parent, args, ctx, info);
    };
  }
}

/** FORBIDDEN, naming the scope the caller lacks. */
export function forbiddenError(info: GraphQLResolveInfo): DomainError {
  const scope = requiredScope(info.parentType.name as RootType, info.fieldName);
  return new DomainError('FORBIDDEN', `${info.parentType.name}.${info.fieldName} needs the scope ${scope}`, { scope });
}

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      rootFieldScopes: RootFieldScopesPlugin<Types>;
    }
  }
}

SchemaBuilder.registerPlugin(pluginName, RootFieldScopesPlugin);

export default pluginName;
