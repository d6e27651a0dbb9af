// Builds the HTTP handler (Yoga) from its parts. Exported apart from the code that listens so
// tests drive the whole pipeline with `yoga.fetch` and no port.
import { randomUUID } from 'node:crypto';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { Context } from '../graphql/context.js';
import { schema } from '../graphql/schema.js';
import type { Logger } from '../logger.js';
import { useCompiledExecution } from './compiled-execution.js';
import { useErrorPolicy } from './error-policy.js';
import { useReadiness } from './readiness.js';

export interface GatewayDeps {
  db: Database;
  config: Config;
  logger: Logger;
}

export type Gateway = YogaServerInstance<Record<string, unknown>, Context>;

const REQUEST_ID = /^[\w.:-]{1,128}$/;

export function createGateway({ db, config, logger }: GatewayDeps): Gateway {
  return createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health',
    landingPage: false,
    graphiql: { title: 'Context gateway' },
    logging: logger,
    // Never guessed from NODE_ENV: our own policy (error-policy.ts) decides what clients see.
    maskedErrors: { isDev: false },
    context: ({ request }) => {
      const given = request.headers.get('x-request-id');
      return {
        db,
        config,
        logger,
        requestId: given && REQUEST_ID.test(given) ? given : randomUUID(),
      };
    },
    plugins: [
      // Compiled execution pays off on reads, where large trees are resolved field by field.
      useCompiledExecution(),
      useReadiness(() => db.isReady()),
      useErrorPolicy(),
    ],
  });
}
