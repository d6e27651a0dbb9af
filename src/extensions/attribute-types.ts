// The attribute types an extension schema may declare: which JSON values each accepts and the
// form in which an accepted value is stored.
import type { ExtensionAttributeType } from '../generated/prisma/enums.js';
import { parseTimestamp } from '../graphql/scalars.js';

/** One attribute of an extension schema, as stored in `extension_schema.attributes`. */
export interface AttributeDef {
  name: string;
  type: ExtensionAttributeType;
  /** STRING only: the maximum length in characters (Unicode code points); null for no limit. */
  length: number | null;
  mandatory: boolean;
  /** The default in its stored form; null when the attribute has none. */
  default: unknown;
}

const INT32_LIMIT = 2 ** 31;
// Twelve integer digits and two decimals stay exact in a double and survive a JSON round trip.
const CURRENCY_LIMIT = 999_999_999_999.99;
const CURRENCY_FORM = /^-?\d+(\.\d{1,2})?$/;
const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;
const INVALID = Symbol('invalid');

function isCalendarDate(value: unknown): boolean {
  if (typeof value !== 'string' || !CALENDAR_DATE.test(value)) return false;
  // Date rolls 2026-02-30 over to March instead of failing; a real date reads back unchanged.
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

const TYPES: Record<ExtensionAttributeType, { expected: string; store: (value: unknown) => unknown }> = {
  STRING: { expected: 'a string', store: (v) => (typeof v === 'string' ? v : INVALID) },
  INTEGER: {
    expected: 'an integer from -2147483648 to 2147483647',
    store: (v) => (Number.isInteger(v) && (v as number) >= -INT32_LIMIT && (v as number) < INT32_LIMIT ? v : INVALID),
  },
  LONG: {
    expected: 'an integer from -9007199254740991 to 9007199254740991',
    store: (v) => (Number.isSafeInteger(v) ? v : INVALID),
  },
  DOUBLE: { expected: 'a number', store: (v) => (typeof v === 'number' && Number.isFinite(v) ? v : INVALID) },
  DATE: { expected: 'a calendar date YYYY-MM-DD', store: (v) => (isCalendarDate(v) ? v : INVALID) },
  DATETIME: {
    expected: 'an ISO-8601 date-time with Z or an offset, e.g. 2026-01-31T09:30:00Z',
    // Stored in the DateTime scalar's output form, so equal instants compare equal as record keys.
    store: (v) => parseTimestamp(v)?.toISOString() ?? INVALID,
  },
  CURRENCY: {
    expected: `a number with at most two decimals, at most ${CURRENCY_LIMIT} in magnitude`,
    store: (v) => (typeof v === 'number' && Math.abs(v) <= CURRENCY_LIMIT && CURRENCY_FORM.test(String(v)) ? v : INVALID),
  },
  BOOLEAN: { expected: 'true or false', store: (v) => (typeof v === 'boolean' ? v : INVALID) },
};

/** The stored form of `value` for an attribute of this type, or the reason it is refused. */
export function storeAttributeValue(
  attribute: Pick<AttributeDef, 'type' | 'length'>,
  value: unknown,
): { ok: true; value: unknown } | { ok: false; problem: string } {
  const stored = TYPES[attribute.type].store(value);
  if (stored === INVALID) return { ok: false, problem: `must be ${TYPES[attribute.type].expected}; got ${preview(value)}` };
  if (attribute.length != null && [...(stored as string)].length > attribute.length) {
    return { ok: false, problem: `is longer than ${attribute.length} characters` };
  }
  return { ok: true, value: stored };
}

/** A short rendering of a client value for error messages. */
export function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
