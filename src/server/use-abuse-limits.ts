// Limits on the shape of a document, checked while parsing and validating, before anything runs
// (graphql-armor): tokens, depth, aliases, directives; and, when introspection is off, no
// introspection and no "did you mean" suggestions that would reveal the schema anyway. Each
// refusal is QUERY_LIMIT_EXCEEDED (HTTP 400) naming the limit. The cost limit, which needs the
// variables, is use-cost-limit.ts; body size is use-body-limit.ts, batch size a Yoga option (yoga.ts).
import { EnvelopArmor } from '@escape.tech/graphql-armor';
import type { GraphQLArmorRejectCallback } from '@escape.tech/graphql-armor-types';
import { GraphQLError, getNamedType, isIntrospectionType, type ValidationRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../config.js';
import { requestError } from './request-errors.js';

export type LimitName = 'tokens' | 'depth' | 'aliases' | 'directives' | 'cost';

export function limitExceeded(limit: LimitName, message: string): GraphQLError {
  return requestError('QUERY_LIMIT_EXCEEDED', 400, message, { extensions: { limit } });
}

// Armor reports "Syntax Error: Query depth limit of 15 exceeded, found 16."; the limit is not a syntax error.
const refuse = (limit: LimitName): GraphQLArmorRejectCallback[] => [
  (_ctx, error) => {
    throw limitExceeded(limit, error.message.replace(/^Syntax Error: /, ''));
  },
];

const noIntrospection: ValidationRule = (context) => ({
  Field(node) {
    const type = context.getType();
    if (type && isIntrospectionType(getNamedType(type))) {
      context.reportError(
        new GraphQLError(`Introspection is disabled on this gateway (field "${node.name.value}").`, {
          nodes: node,
          extensions: { code: 'INTROSPECTION_DISABLED' },
        }),
      );
    }
  },
});

export function useAbuseLimits(
  config: Pick<Config, 'MAX_TOKENS' | 'MAX_DEPTH' | 'MAX_ALIASES' | 'MAX_DIRECTIVES' | 'INTROSPECTION'>,
): Plugin[] {
  const armor = new EnvelopArmor({
    maxTokens: { n: config.MAX_TOKENS, onReject: refuse('tokens') },
    maxDepth: { n: config.MAX_DEPTH, onReject: refuse('depth') },
    maxAliases: { n: config.MAX_ALIASES, onReject: refuse('aliases') },
    maxDirectives: { n: config.MAX_DIRECTIVES, onReject: refuse('directives') },
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: !config.INTROSPECTION },
  });
  const plugins: Plugin[] = armor.protect().plugins as Plugin[];
  if (!config.INTROSPECTION) plugins.push({ onValidate: ({ addValidationRule }) => addValidationRule(noIntrospection) });
  return plugins;
}
