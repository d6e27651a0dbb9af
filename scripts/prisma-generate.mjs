// `prisma generate` first tries to download the native schema engine, which is unreachable on
// our machines and in CI; it never runs it, so pointing the variable at any existing file lets
// generation proceed offline. Migrations use the WebAssembly engine instead (src/db/migrate.ts).
import { spawnSync } from 'node:child_process';

const result = spawnSync('npx', ['prisma', 'generate'], {
  stdio: 'inherit',
  env: { PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, ...process.env },
});
process.exit(result.status ?? 1);
