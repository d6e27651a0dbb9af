// The floor behind graphql-yoga: Yoga, with nothing of its own added, parses and validates the
// gateway's documents against the gateway's schema, then each operation runs the floor's one
// statement (floor-sql.ts) and its JSON is sent as PostgreSQL built it. No gateway built on Yoga
// can cost less per request: the distance from here to the floor is the framework's own share.
// Run as a child process by bench/run.ts with PORT, HOST, DATABASE_URL and DB_POOL_SIZE.
import http from 'node:http';
import { type DocumentNode, getOperationAST } from 'graphql';
import { createYoga, type Plugin } from 'graphql-yoga';
import pg from 'pg';
import { schema } from '../../src/schema.js';
import { createFloor } from './floor-sql.js';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_SIZE ?? 10) });
const handlers = createFloor(pool);
// The workloads' operation names, and the floor statement answering each.
const PATHS: Record<string, string> = { W1: '/w1', W2: '/w2', W3: '/w3' };

const floorExecution: Plugin = {
  onExecute({ setExecuteFn }) {
    setExecuteFn(async ({ operationName, document, variableValues }) => {
      const name = getOperationAST(document as DocumentNode, operationName)?.name?.value;
      const handler = handlers[PATHS[name ?? ''] ?? ''];
      if (!handler) return { errors: [{ message: `no floor statement answers operation ${name}` }] } as never;
      const { body } = await handler(variableValues ?? {});
      // Yoga sends what a result's own stringify returns: the floor's text, unparsed.
      return { stringify: () => body } as never;
    });
  },
};

const yoga = createYoga({ schema, graphqlEndpoint: '/graphql', landingPage: false, graphiql: false, plugins: [floorExecution] });

const server = http.createServer((req, res) => {
  if (req.url === '/ready') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"ready":true}');
  return yoga(req, res);
});

server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');

const shutdown = () => server.close(() => void pool.end().then(() => process.exit(0)));
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
