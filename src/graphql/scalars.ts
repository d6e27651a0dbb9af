// The contract's scalars. DateTime is ours rather than graphql-scalars' because the contract
// fixes its output to exactly `YYYY-MM-DDTHH:mm:ss.SSSZ` and rejects dates without a zone.
import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { JSONObjectResolver, JSONResolver } from 'graphql-scalars';
import { badInput } from './errors.js';

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** Parses a client timestamp; null when it is not an ISO-8601 date-time with a zone. */
export function parseTimestamp(value: unknown): Date | null {
  if (typeof value !== 'string' || !ISO_WITH_ZONE.test(value)) return null;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return null;
  // Date normalises impossible days (Feb 30) instead of failing; compare the calendar date back.
  const local = value.slice(0, 10);
  const offsetMs = /Z$/.test(value) ? 0 : offsetMinutes(value.slice(-6)) * 60_000;
  return new Date(date.getTime() + offsetMs).toISOString().slice(0, 10) === local ? date : null;
}

function offsetMinutes(offset: string): number {
  const sign = offset.startsWith('-') ? -1 : 1;
  return sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
}

/** Output form of a timestamp: always UTC with milliseconds. Accepts Date or a stored string. */
export function formatTimestamp(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') {
    // Timestamps built in SQL already have the output form; anything else goes through Date.
    return value.length === 24 && value.endsWith('Z') ? value : new Date(value).toISOString();
  }
  throw new TypeError(`DateTime cannot represent ${typeof value}`);
}

function parseDateTimeLiteral(value: unknown): Date {
  const date = parseTimestamp(value);
  if (!date) {
    throw badInput('', `DateTime must be ISO-8601 UTC or with an offset, e.g. 2026-01-31T09:30:00.000Z; got ${JSON.stringify(value)}`);
  }
  return date;
}

export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description:
    'ISO-8601 timestamp. Output is always UTC with milliseconds (YYYY-MM-DDTHH:mm:ss.SSSZ); input may omit milliseconds and use Z or an offset.',
  serialize: formatTimestamp,
  parseValue: parseDateTimeLiteral,
  parseLiteral: (ast: ValueNode) => parseDateTimeLiteral(ast.kind === Kind.STRING ? ast.value : undefined),
});

export type AttributeRefValue = number | string;

function parseAttributeRef(value: unknown): AttributeRefValue {
  if (typeof value === 'string' && value.length > 0) return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  throw badInput('', `AttributeRef must be the integer id or the name of a business value; got ${JSON.stringify(value)}`);
}

export const AttributeRefScalar = new GraphQLScalarType<AttributeRefValue, never>({
  name: 'AttributeRef',
  description: 'Input only: a business value given by its integer id or its name.',
  serialize: () => {
    throw new TypeError('AttributeRef is an input-only scalar');
  },
  parseValue: parseAttributeRef,
  parseLiteral: (ast: ValueNode) =>
    parseAttributeRef(ast.kind === Kind.INT ? Number(ast.value) : ast.kind === Kind.STRING ? ast.value : undefined),
});

export const JSONScalar = JSONResolver;
export const JSONObjectScalar = JSONObjectResolver;
