import { lexicographicSortSchema, printSchema } from 'graphql';
import { schema } from './schema.js';

/** The committed form of the schema: sorted SDL, so diffs show real changes only. */
export function printSchemaFile(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
