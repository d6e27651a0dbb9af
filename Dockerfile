# The gateway's image, built by docker-compose.yml. It always runs against DATABASE_URL: the
# embedded PostgreSQL is a convenience for laptops, not for containers.
FROM node:22-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No dependency install scripts: the Prisma client is generated below (offline, see
# scripts/prisma-generate.mjs) and the embedded PostgreSQL they would prepare is never started.
RUN npm ci --ignore-scripts
COPY prisma.config.ts tsconfig.json tsconfig.build.json ./
COPY prisma ./prisma
COPY scripts ./scripts
COPY src ./src
RUN npm run generate && npm run build && npm prune --omit=dev

FROM node:22-slim
ENV NODE_ENV=production
# The heap cap npm start sets (package.json): without one, V8 sizes the heap for the machine's
# memory and lets it grow to some 250 MB under load before collecting; with it, some 170 MB.
ENV NODE_OPTIONS=--max-old-space-size=1024
WORKDIR /app
# package.json marks the project root; prisma/migrations are applied at start.
COPY --from=build /app/package.json ./
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
EXPOSE 4000
# node is PID 1 and handles SIGTERM itself: finishes in-flight requests, closes the pool, exits 0.
# --single-threaded-gc as npm start runs it (see README): less CPU per request on a few cores.
CMD ["node", "--single-threaded-gc", "dist/src/main.js"]
