// Prints the schema as SDL to schema.graphql (committed; test/schema.test.ts fails on drift).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/paths.js';
import { printSchemaFile } from '../src/print-schema.js';

const file = path.join(PROJECT_ROOT, 'schema.graphql');
writeFileSync(file, printSchemaFile());
console.log(`wrote ${path.relative(process.cwd(), file)}`);
