// What a REST route of the reference API declares: its method and path, the zod schemas that
// validate its query and body (and describe them in the OpenAPI document), the ONE GraphQL
// operation it runs, and how that operation's data becomes the reference's reply.
import type { z } from 'zod';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** A request as the route sees it: path parameters, query parameters and body, parsed. */
export interface RouteInput<Q = unknown, B = unknown> {
  params: Record<string, string>;
  query: Q;
  body: B;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ReplyContext {
  /** REST_BASE_PATH without its trailing slash ("" for "/"), to build Location headers. */
  base: string;
  /** Business attribute values as names (`map_names=true`) rather than ids. */
  mapNames: boolean;
  /** The request's URL, for links to the next page of a list. */
  url: URL;
}

export interface GraphQLCall {
  /** One named operation, shared by every request of the same shape: Yoga parses and validates it once. */
  document: string;
  variables: Record<string, unknown>;
}

/** The data of a route's own operation, whose shape its document's selection fixes. */
// biome-ignore lint/suspicious/noExplicitAny: each route reads the fields its own document selects
export type OperationData = any;

interface Declared {
  method: Method;
  /** Relative to REST_BASE_PATH, with `{name}` parameters. */
  path: string;
  /** The inventory's number, name and id, e.g. "1 Start Service (CV.WS.SRV.1)". */
  reference: string;
  summary: string;
}

export interface Route<Q = unknown, B = unknown> extends Declared {
  /** The GraphQL equivalent, for the README and the OpenAPI document. */
  graphql: string;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** The body may be left out (completions, associations). */
  bodyOptional?: boolean;
  operation(input: RouteInput<Q, B>): GraphQLCall;
  /** The reply; throws RestError for answers the operation's data implies (e.g. 404 on null). */
  reply(data: OperationData, input: RouteInput<Q, B>, ctx: ReplyContext): Reply;
  /** The success reply for the OpenAPI document. */
  success: { status: number; description: string; schema?: z.ZodType };
  /** GraphQL input paths (`input.x`) that stand elsewhere in the request than `snake_case(x)`. */
  fields?: (graphqlField: string) => string | undefined;
}

/** An operation of the reference whose capability the gateway does not have: 501. */
export interface Unserved extends Declared {
  unserved: string;
}

export type AnyRoute = Route | Unserved;

export const route = <Q, B>(declared: Route<Q, B>): Route => declared as Route;

export const isServed = (declared: AnyRoute): declared is Route => !('unserved' in declared);

/** An answer other than the operation's success, with the status the reference gives it. */
export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'RestError';
  }
}

export const notFound = (message: string) => new RestError(404, 'NOT_FOUND', message);

/** 201 with the new resource's Location (under the base path) and a body naming it. */
export const created = (ctx: ReplyContext, path: string, body: unknown): Reply => ({
  status: 201,
  headers: { Location: `${ctx.base}${path}` },
  body,
});

/** A success without a body. */
export const done = (status = 200): Reply => ({ status });
