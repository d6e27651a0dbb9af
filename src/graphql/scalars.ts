// The contract's scalars. DateTime is ours rather than graphql-scalars' because the contract
// fixes its output to exactly `YYYY-MM-DDTHH:mm:ss.SSSZ` and rejects dates without a zone.
import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { JSONObjectResolver, JSONResolver } from 'graphql-scalars';
import { ScalarInputError } from './errors.js';

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** Years a timestamp may have in UTC: those the output form (four digits, no era) can write. */
const FIRST_YEAR = 1;
const LAST_YEAR = 9999;

/**
 * Parses a client timestamp; null when it is not an ISO-8601 date-time with a zone, or falls
 * outside the years 0001-9999 once in UTC (9999-12-31T23:59:59-05:00 is already year 10000).
 */
export function parseTimestamp(value: unknown): Date | null {
  if (typeof value !== 'string' || !ISO_WITH_ZONE.test(value)) return null;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return null;
  // Date normalises impossible days (Feb 30) instead of failing; compare the calendar date back.
  const local = value.slice(0, 10);
  const offsetMs = /Z$/.test(value) ? 0 : offsetMinutes(value.slice(-6)) * 60_000;
  if (new Date(date.getTime() + offsetMs).toISOString().slice(0, 10) !== local) return null;
  const year = date.getUTCFullYear();
  return year >= FIRST_YEAR && year <= LAST_YEAR ? date : null;
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
    throw new ScalarInputError(
      `DateTime must be ISO-8601 UTC or with an offset, e.g. 2026-01-31T09:30:00.000Z, in the years 0001 to 9999 (UTC); got ${JSON.stringify(value)}`,
    );
  }
  return date;
}

export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description:
    'ISO-8601 timestamp. Output is always UTC with milliseconds (YYYY-MM-DDTHH:mm:ss.SSSZ); input may omit milliseconds and use Z or an offset, and falls in the years 0001 to 9999 once in UTC.',
  serialize: formatTimestamp,
  parseValue: parseDateTimeLiteral,
  parseLiteral: (ast: ValueNode) => parseDateTimeLiteral(ast.kind === Kind.STRING ? ast.value : undefined),
});

export type AttributeRefValue = number | string;

/** An id is served back as `AttributeValue.id: Int`, so it is a 32-bit integer like any Int. */
const isInt32 = (value: number) => Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31;

function parseAttributeRef(value: unknown): AttributeRefValue {
  if (typeof value === 'string' && value.length > 0) return value;
  if (typeof value === 'number' && isInt32(value)) return value;
  throw new ScalarInputError(`AttributeRef must be the 32-bit integer id or the name of a business value; got ${JSON.stringify(value)}`);
}

export const AttributeRefScalar = new GraphQLScalarType<AttributeRefValue, never>({
  name: 'AttributeRef',
  description: 'Input only: a business value given by its 32-bit integer id or its name.',
  serialize: () => {
    throw new TypeError('AttributeRef is an input-only scalar');
  },
  parseValue: parseAttributeRef,
  parseLiteral: (ast: ValueNode) =>
    parseAttributeRef(ast.kind === Kind.INT ? Number(ast.value) : ast.kind === Kind.STRING ? ast.value : undefined),
});

export const JSONScalar = JSONResolver;
export const JSONObjectScalar = JSONObjectResolver;
