# The gateway's image, built by docker-compose.yml. It always runs against DATABASE_URL: the
# embedded PostgreSQL is a convenience for laptops, not for containers.
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No dependency install scripts: the Prisma client is generated below (offline, see
# scripts/prisma-generate.mjs) and the embedded PostgreSQL they would prepare is never started.
RUN npm ci --ignore-scripts
COPY prisma.config.ts tsconfig.json tsconfig.build.json ./
COPY prisma ./prisma
COPY scripts ./scripts
COPY src ./src
RUN npm run generate && npm run build

# Only what runs (scripts/install-production.sh says what it leaves out): about 80 MB of
# node_modules instead of the 441 MB a pruned full install held.
FROM node:24-slim AS production-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts/install-production.sh ./scripts/
RUN sh scripts/install-production.sh

FROM node:24-slim
ENV NODE_ENV=production
# The V8 limits npm start sets (package.json): without a heap cap, V8 sizes the heap for the
# machine's memory and lets it grow to some 250 MB under load before collecting; and Node 24's
# young generation grows to 128 MB unless its semi-spaces are held to Node 20's 16 MB.
ENV NODE_OPTIONS="--max-old-space-size=1024 --max-semi-space-size=16"
WORKDIR /app
# package.json marks the project root; prisma/migrations are applied at start.
COPY --from=build /app/package.json ./
COPY --from=build /app/prisma ./prisma
COPY --from=production-dependencies /app/node_modules ./node_modules
# GraphiQL (GRAPHIQL=true, which docker-compose.yml sets for local use): the files the gateway
# serves from its package, not the package's React and Monaco dependencies it was built from.
COPY --from=build /app/node_modules/@graphql-yoga/graphiql/package.json ./node_modules/@graphql-yoga/graphiql/
COPY --from=build /app/node_modules/@graphql-yoga/graphiql/dist/yoga-graphiql.umd.js /app/node_modules/@graphql-yoga/graphiql/dist/graphiql.css ./node_modules/@graphql-yoga/graphiql/dist/
COPY --from=build /app/node_modules/@graphql-yoga/graphiql/dist/monacoeditorwork ./node_modules/@graphql-yoga/graphiql/dist/monacoeditorwork
COPY --from=build /app/dist ./dist
USER node
EXPOSE 4000
# node is PID 1 and handles SIGTERM itself: finishes in-flight requests, closes the pool, exits 0.
CMD ["node", "dist/src/main.js"]
