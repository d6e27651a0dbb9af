#!/bin/sh
# Installs the node_modules a production gateway runs with (the Dockerfile's runtime stage, and
# test/platform/production-install.test.ts), from package.json and package-lock.json here:
# - no dev dependencies (TypeScript, the Prisma CLI, Biome, vitest, GraphiQL's React and Monaco);
# - no optional ones: the embedded PostgreSQL's 60 MB of binaries (a production gateway always
#   has DATABASE_URL);
# - no peer ones: @prisma/client names the Prisma CLI and TypeScript as peers, which npm would
#   otherwise install with their own dependencies (Prisma Studio, PGlite, Effect: some 200 MB);
# - of the Prisma client's query compilers, only PostgreSQL's (the others are 50 MB).
set -eu
npm ci --omit=dev --omit=optional --omit=peer --ignore-scripts --no-audit --no-fund "$@"
find node_modules/@prisma/client/runtime -name 'query_compiler_*' ! -name '*.postgresql.*' -delete
