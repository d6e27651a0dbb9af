// The variables of an operation served here are coerced by a function graphql-jit generates once
// per operation: graphql-js's getVariableValues walks every field of the input types on every
// request, the costliest frame of a write in a profile. Only valid variables take this way:
// anything the generated code refuses (including an omitted non-null variable with a default,
// which it does not fill in) is left to graphql-js, whose answers and errors are the ones
// clients see.
import { createRequire } from 'node:module';
import { type GraphQLInputType, type GraphQLSchema, Kind, typeFromAST, type VariableDefinitionNode, valueFromAST } from 'graphql';

type Compile = typeof import('graphql-jit/dist/variables.js').compileVariableParsing;

// Required rather than imported: the package's ESM build of this file imports its siblings
// without extensions, which Node's ESM loader cannot resolve.
const { compileVariableParsing } = createRequire(import.meta.url)('graphql-jit/dist/variables') as { compileVariableParsing: Compile };

export type Coerce = (inputs: Record<string, unknown>) => Record<string, unknown> | undefined;

/** True when `value` holds an empty array anywhere. */
function holdsEmptyArray(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.length === 0 || value.some(holdsEmptyArray);
  for (const key in value) if (holdsEmptyArray((value as Record<string, unknown>)[key])) return true;
  return false;
}

/**
 * The coerced variables, or undefined when they are not valid or not surely so. The generated
 * code takes an empty array for an input object, which graphql-js refuses; variables holding an
 * empty array anywhere are therefore never vouched for. Its defaults differ from the spec's (an
 * omitted non-null variable is refused, a custom scalar's default is left unparsed): variables
 * with a default are compiled as nullable, an explicit null for a non-null one is left to
 * graphql-js, and an omitted one takes its default as graphql-js computes it.
 */
export function variableCoercer(schema: GraphQLSchema, definitions: readonly VariableDefinitionNode[]): Coerce {
  const defaulted = definitions.filter((d) => d.defaultValue);
  const nonNull = defaulted.filter((d) => d.type.kind === Kind.NON_NULL_TYPE).map((d) => d.variable.name.value);
  const defaults = defaulted.map(
    (d) => [d.variable.name.value, valueFromAST(d.defaultValue, typeFromAST(schema, d.type) as GraphQLInputType)] as const,
  );
  const coerce = compileVariableParsing(
    schema,
    definitions.map((d) => (d.defaultValue && d.type.kind === Kind.NON_NULL_TYPE ? { ...d, type: d.type.type } : d)),
  );
  return (inputs) => {
    if (holdsEmptyArray(inputs)) return undefined;
    if (nonNull.some((name) => inputs[name] === null)) return undefined;
    const result = coerce(inputs);
    if (!('coerced' in result) || !result.coerced) return undefined;
    for (const [name, value] of defaults) if (!(name in inputs)) result.coerced[name] = value;
    return result.coerced;
  };
}
