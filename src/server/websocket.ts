// GraphQL over WebSocket (the graphql-transport-ws protocol of graphql-ws) on the HTTP server's
// /graphql path, beside HTTP and SSE. Each operation goes through the gateway's own pipeline
// (Yoga's getResultForParams: authentication, rate limit, persisted operations, document limits,
// execution, error policy) with a request made from the connection, so WebSocket clients meet the
// same rules as HTTP ones. Credentials travel in connectionParams ({ authorization: "Bearer ..." });
// a connection whose credentials fail is closed with 4403 before any operation. A connection holds
// at most MAX_SUBSCRIPTIONS_PER_CLIENT operations at once.
import type { Server } from 'node:http';
import { type DocumentNode, type ExecutionArgs, GraphQLError, parse } from 'graphql';
import type { Context } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { UnauthenticatedError } from '../auth/principal.js';
import type { Logger } from '../logger.js';
import { requestInfo } from '../observability/request-info.js';
import type { Gateway } from './yoga.js';

type Result = NonNullable<Awaited<ReturnType<Gateway['getResultForParams']>>>;

// graphql-ws only needs to know whether to iterate or to send one result: the gateway has already
// run the real document; these stand in for it.
const STREAM: DocumentNode = parse('subscription { __typename }');
const SINGLE: DocumentNode = parse('query { __typename }');

interface Connection {
  authorization?: string;
  active: number;
}

function authorizationOf(params: Readonly<Record<string, unknown>> | undefined): string | undefined {
  const value = params?.authorization ?? params?.Authorization;
  return typeof value === 'string' ? value : undefined;
}

/** A request standing for one WebSocket operation, carrying the connection's credentials. */
function requestFor(connection: Connection, id: string): Request {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-request-id': `ws-${id}-${crypto.randomUUID()}` };
  if (connection.authorization) headers.authorization = connection.authorization;
  return new Request('http://websocket.local/graphql', { method: 'POST', headers });
}

function asErrors(error: unknown, logger: Logger, request: Request): GraphQLError[] {
  if (error instanceof GraphQLError) {
    const { http: _http, ...extensions } = error.extensions as Record<string, unknown>;
    return [new GraphQLError(error.message, { extensions })];
  }
  const { id } = requestInfo(request);
  logger.error({ requestId: id, err: error }, 'unexpected error in a WebSocket operation');
  return [new GraphQLError('Unexpected error.', { extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: id } })];
}

export interface WebSocketTransport {
  /** Closes every connection (1001, going away) and stops accepting new ones. */
  close(): Promise<void>;
}

export function serveWebSocket(server: Server, gateway: Gateway, options: { logger: Logger; perConnection: number }): WebSocketTransport {
  const wss = new WebSocketServer({ server, path: '/graphql' });
  const connections = new WeakMap<Context, Connection>();
  const results = new WeakMap<ExecutionArgs, Result>();
  const transport = useServer(
    {
      async onConnect(ctx) {
        const connection: Connection = { authorization: authorizationOf(ctx.connectionParams), active: 0 };
        try {
          await gateway.authenticate(requestFor(connection, 'connect'));
        } catch (error) {
          if (error instanceof UnauthenticatedError) return false;
          throw error;
        }
        connections.set(ctx, connection);
        return true;
      },
      async onSubscribe(ctx, id, payload) {
        const connection = connections.get(ctx)!;
        const request = requestFor(connection, id);
        if (connection.active >= options.perConnection) {
          return [
            new GraphQLError(
              `this connection already runs ${connection.active} operations, the most allowed (MAX_SUBSCRIPTIONS_PER_CLIENT)`,
              {
                extensions: { code: 'QUERY_LIMIT_EXCEEDED', limit: 'subscriptions' },
              },
            ),
          ];
        }
        const info = requestInfo(request);
        let result: Result;
        try {
          result = (await gateway.getResultForParams(
            {
              params: {
                // A persisted operation comes with an empty query (the protocol wants a string).
                query: payload.query || undefined,
                operationName: payload.operationName ?? undefined,
                variables: payload.variables ?? undefined,
                extensions: payload.extensions ?? undefined,
              },
              request,
            },
            {},
          )) as Result;
        } catch (error) {
          const errors = asErrors(error, options.logger, request);
          info.codes.push(String(errors[0].extensions.code));
          gateway.recordOperation(request);
          return errors;
        }
        const single = !(Symbol.asyncIterator in result);
        if (single)
          for (const error of (result as { errors?: GraphQLError[] }).errors ?? [])
            info.codes.push(String(error.extensions?.code ?? 'ERROR'));
        gateway.recordOperation(request);
        const args = { schema: gateway.getEnveloped().schema, document: single ? SINGLE : STREAM, rootValue: null } as ExecutionArgs;
        results.set(args, result);
        connection.active++;
        return args;
      },
      execute: (args) => results.get(args) as never,
      subscribe: (args) => results.get(args) as never,
      onComplete(ctx) {
        const connection = connections.get(ctx);
        if (connection) connection.active--;
      },
    },
    wss,
  );
  return {
    async close() {
      await transport.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
