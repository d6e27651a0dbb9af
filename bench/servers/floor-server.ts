// The floor server: plain node:http in front of floor-sql.ts. It takes the same request bodies as
// the gateway (it ignores `query` and reads `variables`). Run as a child process by bench/run.ts
// with PORT, HOST, DATABASE_URL and DB_POOL_SIZE.
import http from 'node:http';
import pg from 'pg';
import { createFloor, type Variables } from './floor-sql.js';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_SIZE ?? 10) });
const handlers = createFloor(pool);

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const reply = (status: number, body: string) => res.writeHead(status, { 'content-type': 'application/json' }).end(body);
    if (req.url === '/ready') return reply(200, '{"ready":true}');
    const handler = req.method === 'POST' ? handlers[req.url ?? ''] : undefined;
    if (!handler) return reply(404, '{"errors":[{"message":"not found"}]}');
    let variables: Variables;
    try {
      variables = JSON.parse(Buffer.concat(chunks).toString()).variables ?? {};
    } catch {
      return reply(400, '{"errors":[{"message":"body is not JSON"}]}');
    }
    handler(variables).then(
      ({ status, body }) => reply(status, body),
      (error: Error) => {
        process.stderr.write(`${req.url}: ${error.message}\n`);
        reply(500, JSON.stringify({ errors: [{ message: error.message }] }));
      },
    );
  });
});

server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');

const shutdown = () => server.close(() => void pool.end().then(() => process.exit(0)));
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
