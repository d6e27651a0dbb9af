// The OpenAPI 3.1 document of the REST API, generated from the route declarations themselves:
// the zod schemas that validate each request's query and body describe them here too.
import { z } from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { type AnyRoute, isServed } from './route.js';
import { ROUTES } from './routes.js';

const ErrorBody = z
  .object({
    message: z.string(),
    exception: z.string().meta({ description: 'The reference product’s exception class name.' }),
    code: z.string().meta({ description: 'The gateway’s stable error code (BAD_USER_INPUT, NOT_FOUND, CONFLICT...).' }),
    field: z.string().optional().meta({ description: 'The offending field, as the request names it.' }),
    request_id: z.string().optional(),
  })
  .meta({ id: 'Error' });

const PARAMETERS: Record<string, string> = {
  service_id: 'The service id.',
  state_id: 'The state id.',
  task_id: 'The task id.',
  customer_id: 'The customer id.',
  contact_key: 'The contact key the anonymous services were started with.',
  ext_name: 'The extension name (case-insensitive).',
  name: 'The schema name (case-insensitive).',
  key: 'The identification key name.',
  ba_name: 'The business attribute name.',
};

const errors = (statuses: number[]) =>
  Object.fromEntries(
    statuses.map((status) => [
      String(status),
      { description: STATUS_TEXT[status], content: { 'application/json': { schema: ErrorBody } } },
    ]),
  );

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad input: the body, a parameter, or a rule refused it.',
  401: 'Missing or bad credentials.',
  403: 'The credentials lack the scope.',
  404: 'Not found.',
  409: 'Conflict with the current state (completed already, name taken...).',
  429: 'Rate limited; see Retry-After.',
  501: 'Not supported by this gateway.',
};

function pathParameters(path: string) {
  const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  if (names.length === 0) return undefined;
  return z.object(Object.fromEntries(names.map((name) => [name, z.string().meta({ description: PARAMETERS[name] ?? name })])));
}

function operation(route: AnyRoute): ZodOpenApiOperationObject {
  const operationId = `${route.method.toLowerCase()}${route.path
    .split('/')
    .filter(Boolean)
    .map((s) => s.replace(/[{}]/g, '').replace(/(^|[-_])(\w)/g, (_m, _s, c: string) => c.toUpperCase()))
    .join('')}`;
  const path = pathParameters(route.path);
  const base = { operationId, summary: route.summary, requestParams: { ...(path && { path }) } };
  if (!isServed(route)) {
    return { ...base, description: `${route.reference}. ${route.unserved}.`, responses: errors([501]) };
  }
  const { success } = route;
  return {
    ...base,
    description: `${route.reference}. GraphQL: \`${route.graphql}\`.`,
    requestParams: { ...base.requestParams, ...(route.query && { query: route.query as z.ZodObject }) },
    ...(route.body && {
      requestBody: { required: !route.bodyOptional, content: { 'application/json': { schema: route.body } } },
    }),
    responses: {
      [String(success.status)]: {
        description: success.description,
        ...(success.status === 201 && {
          headers: z.object({ Location: z.string().meta({ description: 'Where the new resource is read.' }) }),
        }),
        ...(success.schema && { content: { 'application/json': { schema: success.schema } } }),
      },
      ...errors([400, 401, 403, 404, 409, 429]),
    },
  };
}

/** The document for a gateway serving the API under `basePath`. */
export function openApiDocument(basePath: string) {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of ROUTES) {
    const item = (paths[route.path] ??= {});
    (item as Record<string, ZodOpenApiOperationObject>)[route.method.toLowerCase()] = operation(route);
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Context Services REST API',
      version: '1',
      description:
        'The reference Context Services REST API, served beside GraphQL from the same rules. Every operation runs one GraphQL operation of the gateway (named in its description).',
    },
    servers: [{ url: basePath }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths,
  });
}
