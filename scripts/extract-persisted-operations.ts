// Builds the persisted operations manifest from a folder of client .graphql files: one entry
// per named operation (with the fragments it spreads), keyed by the SHA-256 of its canonical
// text, validated against the gateway's schema. Prints each operation's id for the clients.
//   npm run operations:extract -- <folder> [manifest file, default persisted-operations.json]
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { schema } from '../src/graphql/schema.js';
import { extractOperations } from '../src/server/persisted-manifest.js';

const [folder, output = 'persisted-operations.json'] = process.argv.slice(2);
if (!folder) {
  console.error('usage: npm run operations:extract -- <folder of .graphql files> [manifest file]');
  process.exit(2);
}
const files = readdirSync(folder, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.graphql') || f.endsWith('.gql'))
  .sort();
const { manifest, operations, problems } = extractOperations(
  files.map((f) => ({ name: path.join(folder, f), body: readFileSync(path.join(folder, f), 'utf8') })),
  schema,
);
if (problems.length) {
  for (const problem of problems) console.error(problem);
  console.error(`${problems.length} problem(s); ${output} not written`);
  process.exit(1);
}
writeFileSync(output, `${JSON.stringify(manifest, null, 2)}\n`);
for (const { name, id } of operations) console.log(`${id}  ${name}`);
console.log(`wrote ${operations.length} operation(s) from ${files.length} file(s) to ${output}`);
