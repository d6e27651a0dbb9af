// Input values the database and the answers can hold. PostgreSQL's text and jsonb refuse the NUL
// character; a lone UTF-16 surrogate is not Unicode (jsonb refuses its escape); JSON has no
// Infinity. Every argument of every field is checked here before its resolver runs, naming the
// offending value's path; the operations answered without the executor call checkArguments too.
import SchemaBuilder, { BasePlugin, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';
import type { GraphQLFieldResolver } from 'graphql';
import { badInput } from './errors.js';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function checkText(text: string, path: string, what: string): void {
  if (text.includes('\u0000')) throw badInput(path, `${what} holds the NUL character (U+0000), which text cannot hold`);
  if (LONE_SURROGATE.test(text)) throw badInput(path, `${what} holds a lone surrogate, which is not valid Unicode`);
}

/** Throws BAD_USER_INPUT at `path` for a string, key or number within `value` that cannot be stored. */
export function checkInputValue(value: unknown, path: string): void {
  if (typeof value === 'string') {
    checkText(value, path, path);
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw badInput(path, `${path} must be a finite number`);
  } else if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) checkInputValue(item, `${path}.${i}`);
  } else if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
    for (const [key, item] of Object.entries(value)) {
      checkText(key, path, `a key of ${path}`);
      checkInputValue(item, `${path}.${key}`);
    }
  }
}

/** checkInputValue over a field's coerced arguments; each path starts with the argument's name. */
export function checkArguments(args: Record<string, unknown>): void {
  for (const name in args) checkInputValue(args[name], name);
}

const pluginName = 'inputText';

/** Checks the arguments of every field that takes any, before its resolver (or subscribe) runs. */
export class InputTextPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapResolve(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object>,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> {
    if (Object.keys(fieldConfig.args).length === 0) return resolver;
    return (parent, args, ctx, info) => {
      checkArguments(args as Record<string, unknown>);
      return resolver(parent, args, ctx, info);
    };
  }

  override wrapSubscribe(
    subscribe: GraphQLFieldResolver<unknown, Types['Context'], object> | undefined,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> | undefined {
    if (!subscribe || Object.keys(fieldConfig.args).length === 0) return subscribe;
    return (parent, args, ctx, info) => {
      checkArguments(args as Record<string, unknown>);
      return subscribe(parent, args, ctx, info);
    };
  }
}

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      inputText: InputTextPlugin<Types>;
    }
  }
}

SchemaBuilder.registerPlugin(pluginName, InputTextPlugin);

export default pluginName;
