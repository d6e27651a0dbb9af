// One JSON log line per API request, GraphQL or REST (request id, operation, caller, duration, HTTP status,
// outcome), and the X-Request-Id header on every response so a caller can quote it.
import { type DocumentNode, getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../logger.js';
import { operationLabel, outcomeOf, type RequestInfo, requestInfo } from '../observability/request-info.js';

export function useRequestLog(logger: Logger, graphqlEndpoint: string): Plugin<{ request: Request }> {
  return {
    onRequest({ request, url }) {
      // From the URL Yoga parsed already: parsing it again per response cost 1 % of a write.
      requestInfo(request).api = url.pathname === graphqlEndpoint;
    },
    onExecute({ args }) {
      const operation = getOperationAST(args.document as DocumentNode, args.operationName);
      requestInfo(args.contextValue.request).operations.push(operation?.name?.value ?? '(anonymous)');
    },
    onSubscribe({ args }) {
      const operation = getOperationAST(args.document as DocumentNode, args.operationName);
      requestInfo(args.contextValue.request).operations.push(operation?.name?.value ?? '(anonymous)');
    },
    onResultProcess({ request, result }) {
      if (Symbol.asyncIterator in result) return;
      const info = requestInfo(request);
      for (const single of Array.isArray(result) ? result : [result]) {
        for (const error of single.errors ?? []) info.codes.push(String(error.extensions?.code ?? 'ERROR'));
      }
    },
    onResponse({ request, response }) {
      const info = requestInfo(request);
      response.headers.set('x-request-id', info.id);
      if (!info.api) return;
      logRequest(logger, info, response.status);
    },
  };
}

/** The log line of one API request (a WebSocket subscription writes one too, without an HTTP status). */
export function logRequest(logger: Logger, info: RequestInfo, status: number | undefined, transport?: string): void {
  logger.info(
    {
      requestId: info.id,
      operation: operationLabel(info),
      ...(info.route && { route: info.route }),
      ...(transport && { transport }),
      principal: info.principal,
      status,
      outcome: outcomeOf(info),
      ...(info.codes.length > 1 && { codes: info.codes }),
      durationMs: Math.round((performance.now() - info.startedAt) * 10) / 10,
    },
    'graphql request',
  );
}
