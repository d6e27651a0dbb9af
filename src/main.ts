// `npm start`: reads the configuration, opens the database (embedded unless DATABASE_URL is set),
// serves the gateway, and shuts down cleanly on SIGTERM/SIGINT.
import { createServer } from 'node:http';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/database.js';
import { createLogger } from './logger.js';
import { serveWebSocket } from './server/websocket.js';
import { createGateway } from './server/yoga.js';

/** Runs `step`; a ConfigError stops the start with its problems and exit code 2. */
async function configured<T>(step: () => T, cleanup?: () => Promise<void>): Promise<T> {
  try {
    return step();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    await cleanup?.();
    console.error(error.message);
    process.exit(2);
  }
}

const config = await configured(() => loadConfig());
const logger = createLogger(config.LOG_LEVEL);
const startedAt = performance.now();
// A database that cannot come back stops the gateway with exit code 1, for its supervisor to
// start it again (which also starts an embedded database afresh).
const db = await openDatabase(config, logger, { onFatal: () => void shutdown('database lost', 1) }).catch((error: unknown) => {
  logger.fatal({ err: error }, 'cannot open the database');
  process.exit(1);
});
// Key files and the persisted operations manifest are read here, once the database is open.
const gateway = await configured(
  () => createGateway({ db, config, logger }),
  () => db.close(),
);
const server = createServer(gateway);
const websocket = serveWebSocket(server, gateway, { logger, perConnection: config.MAX_SUBSCRIPTIONS_PER_CLIENT });

server.on('error', async (error) => {
  logger.fatal({ err: error }, `cannot listen on ${config.HOST}:${config.PORT}`);
  await db.close();
  process.exit(1);
});
server.listen(config.PORT, config.HOST, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  logger.info({ port, startupMs: Math.round(performance.now() - startedAt) }, `gateway listening on http://localhost:${port}/graphql`);
});

let stopping = false;
// A keep-alive connection outlives its last response by up to keepAliveTimeout, holding close()
// open; once stopping, each is closed as soon as its response is done.
server.on('request', (_request, response) =>
  response.once('finish', () => {
    if (stopping) setImmediate(() => server.closeIdleConnections());
  }),
);
async function shutdown(reason: string, exitCode = 0): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ reason }, 'shutting down: finishing in-flight requests');
  const force = setTimeout(() => server.closeAllConnections(), config.SHUTDOWN_TIMEOUT_MS);
  force.unref();
  const closed = new Promise<void>((resolve) => {
    server.close(() => resolve());
    // Keep-alive connections with no request in flight would otherwise hold close() open.
    server.closeIdleConnections();
  });
  // Subscriptions never finish on their own: end them (clients resume elsewhere with `after`),
  // then close the WebSocket connections, which the HTTP server no longer counts as its own.
  // Plugins let go of what they hold: the spans still buffered for the tracing exporter are sent.
  await gateway.dispose();
  await websocket.close();
  await closed;
  await db.close();
  logger.info('stopped');
  process.exit(exitCode);
}

// Dependencies install SIGTERM/SIGINT handlers of their own (Yoga's server adapter disposes of
// itself at once), which would cut off in-flight requests. The order of a clean stop is ours.
process.removeAllListeners('SIGTERM');
process.removeAllListeners('SIGINT');
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
