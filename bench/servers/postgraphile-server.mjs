// PostGraphile 5 as its documentation recommends running it in production: library mode on
// node:http (grafserv), the Amber preset, no watch mode, no GraphiQL, no plan explanations,
// Grafast's string output optimisation on, NODE_ENV=production (set by the harness: otherwise
// Grafast runs in development mode). One smart tag lets `condition: { completedAt: null }` filter
// the active rows, as the gateway's `status: ACTIVE` does; PostGraphile only offers conditions on
// indexed columns by default, and completed_at is indexed here only through partial indexes.
// The live-context outbox is the gateway's own bookkeeping, not data a team would expose: its
// tables are hidden (their xid8 column is a type PostGraphile cannot read).
// Plain JavaScript: PostGraphile's types augment graphql-js's own, which would change how the
// gateway's code type-checks. Run as a child process by bench/run.ts with PORT, HOST,
// DATABASE_URL, DB_POOL_SIZE and POSTGRAPHILE_SCHEMAS.
import './postgraphile-node20.mjs';
import { createServer } from 'node:http';
import pg from 'pg';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { makeJSONPgSmartTagsPlugin } from 'postgraphile/utils';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_SIZE ?? 10) });

const preset = {
  extends: [PostGraphileAmberPreset],
  plugins: [
    makeJSONPgSmartTagsPlugin({
      version: 1,
      config: {
        attribute: { completed_at: { tags: { behavior: '+filterBy' } } },
        class: { context_event: { tags: { behavior: '-*' } }, context_event_pruned: { tags: { behavior: '-*' } } },
        constraint: { context_event_pkey: { tags: { behavior: '-*' } } },
      },
    }),
  ],
  pgServices: [makePgService({ pool, schemas: process.env.POSTGRAPHILE_SCHEMAS.split(',') })],
  grafserv: { graphqlPath: '/graphql', watch: false, graphiql: false, websockets: false, outputDataAsString: true },
  grafast: { explain: false },
};

const pgl = postgraphile(preset);
await pgl.getSchema();
const handler = pgl.createServ(grafserv).createHandler();

const server = createServer((req, res) => {
  if (req.url === '/ready') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"ready":true}');
  void handler(req, res);
});
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');

const shutdown = () => server.close(() => void pgl.release().then(() => pool.end().then(() => process.exit(0))));
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
