// Serves the reference REST API under REST_BASE_PATH through the GraphQL pipeline itself. A
// route's request is handed to Yoga's own request handler: our parser turns its path, query and
// body into the route's GraphQL operation, which then meets everything a /graphql request meets
// (body limit, authentication, rate limit, persisted-operation policy, abuse and cost limits,
// scopes, the SQL-JSON fast path, the error policy, request log and metrics); our result
// processor writes the reference's reply. The rules run only through the GraphQL mutations.
import { GraphQLError } from 'graphql';
import type { GraphQLParams, Plugin } from 'graphql-yoga';
import type { z } from 'zod';
import type { Config } from '../config.js';
import { requestInfo } from '../observability/request-info.js';
import { type ErrorReply, graphqlErrorReply, restErrorReply, restField } from './errors.js';
import { openApiDocument } from './openapi.js';
import { isServed, type Reply, type ReplyContext, RestError, type Route, type RouteInput } from './route.js';
import { Router } from './router.js';
import { ROUTES } from './routes.js';

interface RestRequest {
  route: Route;
  params: Record<string, string>;
  url: URL;
  input?: RouteInput;
}

const REST = Symbol('rest');
type Noted = Request & { [REST]?: RestRequest };

/** The REST route a request was matched to; undefined for every other request. */
export const restRequest = (request: Request): RestRequest | undefined => (request as Noted)[REST];

const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };

function toResponse(fetchAPI: { Response: typeof Response }, reply: Reply | ErrorReply): Response {
  const body = reply.body === undefined ? null : JSON.stringify(reply.body);
  return new fetchAPI.Response(body, { status: reply.status, headers: { ...JSON_TYPE, ...reply.headers } });
}

/** A RestError as the pipeline carries errors: the request log knows its code, the reply its field. */
function asGraphQLError(error: RestError): GraphQLError {
  return new GraphQLError(error.message, {
    extensions: { code: error.code, ...(error.field && { restField: error.field }), http: { status: error.status } },
  });
}

function queryObject(search: URLSearchParams): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of search) {
    const seen = query[key];
    query[key] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return query;
}

function validated<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const [issue] = parsed.error.issues;
  const field = issue.path.map(String).join('.');
  throw new RestError(400, 'BAD_USER_INPUT', `${where}${field ? ` ${field}` : ''}: ${issue.message}`, field || undefined);
}

async function readBody(route: Route, request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.trim() === '') {
    if (route.body && !route.bodyOptional) throw new RestError(400, 'BAD_USER_INPUT', 'this operation needs a JSON body');
    return {};
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new RestError(400, 'BAD_USER_INPUT', `the body is not valid JSON: ${(error as Error).message}`);
  }
}

async function parseRest(rest: RestRequest, request: Request): Promise<GraphQLParams> {
  try {
    const { route } = rest;
    const query = route.query ? validated(route.query, queryObject(rest.url.searchParams), 'query parameter') : {};
    const body = route.body ? validated(route.body, await readBody(route, request), 'body') : undefined;
    const input: RouteInput = { params: rest.params, query, body };
    const call = route.operation(input);
    rest.input = input;
    return { query: call.document, variables: call.variables };
  } catch (error) {
    throw error instanceof RestError ? asGraphQLError(error) : error;
  }
}

function replyTo(
  rest: RestRequest,
  result: { data?: unknown; errors?: readonly GraphQLError[] },
  context: ReplyContext,
): Reply | ErrorReply {
  if (result.errors?.length || !rest.input) {
    const errors = result.errors?.length
      ? result.errors
      : [new GraphQLError('Unexpected error.', { extensions: { code: 'INTERNAL_SERVER_ERROR' } })];
    return graphqlErrorReply(errors, (field) => rest.route.fields?.(field) ?? restField(field));
  }
  return rest.route.reply(result.data, rest.input, context);
}

export interface RestOptions {
  basePath: Config['REST_BASE_PATH'];
}

export function useRest({ basePath }: RestOptions): Plugin {
  const base = basePath === '/' ? '' : basePath;
  const router = new Router(ROUTES);
  // Built on the first request for it: most gateways are never asked.
  let openApi: string | undefined;
  return {
    onRequest({ request, url, requestHandler, serverContext, endResponse, fetchAPI }) {
      const path = url.pathname;
      if (base && path !== base && !path.startsWith(`${base}/`)) return;
      const relative = path.slice(base.length);
      if (request.method === 'GET' && relative === '/openapi.json') {
        openApi ??= JSON.stringify(openApiDocument(basePath));
        endResponse(new fetchAPI.Response(openApi, { headers: JSON_TYPE }));
        return;
      }
      const match = router.match(request.method, relative);
      // Served at the root, the REST paths live beside /graphql and the others.
      if ('status' in match && match.status === 404 && !base) return;
      const info = requestInfo(request);
      info.api = true;
      if ('status' in match) {
        const reply = restErrorReply(
          match.status === 404
            ? new RestError(404, 'NOT_FOUND', `no operation at ${relative}`)
            : new RestError(405, 'METHOD_NOT_ALLOWED', `${relative} takes ${match.allow.join(', ')}`),
        );
        if (match.status === 405) reply.headers = { Allow: match.allow.join(', ') };
        info.codes.push(reply.body.code);
        endResponse(toResponse(fetchAPI, reply));
        return;
      }
      info.route = `${match.route.method} ${match.route.path}`;
      if (!isServed(match.route)) {
        const reply = restErrorReply(new RestError(501, 'NOT_IMPLEMENTED', match.route.unserved));
        info.codes.push(reply.body.code);
        endResponse(toResponse(fetchAPI, reply));
        return;
      }
      (request as Noted)[REST] = { route: match.route, params: match.params, url };
      // Yoga's GraphQL-over-HTTP check allows GET and POST only; the route knows the real method.
      if (request.method !== 'GET' && request.method !== 'POST') Object.defineProperty(request, 'method', { value: 'POST' });
      // Yoga's handler, called here, skips the later onRequest hooks: its 404 for paths other than /graphql.
      return Promise.resolve(requestHandler(request, serverContext)).then(endResponse);
    },
    onRequestParse({ request, setRequestParser }) {
      const rest = restRequest(request);
      if (rest) setRequestParser((parsed) => parseRest(rest, parsed));
    },
    onResultProcess({ request, setResultProcessor }) {
      const rest = restRequest(request);
      if (!rest) return;
      setResultProcessor((result, fetchAPI) => {
        const single = (Array.isArray(result) ? result[0] : result) as { data?: unknown; errors?: readonly GraphQLError[] };
        const mapNames = (rest.input?.query as { map_names?: boolean } | undefined)?.map_names === true;
        let reply: Reply | ErrorReply;
        try {
          reply = replyTo(rest, single, { base, mapNames, url: rest.url });
        } catch (error) {
          if (!(error instanceof RestError)) throw error;
          reply = restErrorReply(error);
          requestInfo(request).codes.push(error.code);
        }
        return toResponse(fetchAPI, reply);
      }, 'application/json');
    },
  };
}
