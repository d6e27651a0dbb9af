// Requests to the REST API of a test gateway, in-process through `yoga.fetch`.
import type { TestGateway } from '../support/gateway.js';

export const BASE = '/genesys/1/cs';

export interface RestResponse<T = any> {
  status: number;
  headers: Headers;
  /** The parsed JSON body; undefined when the body is empty. */
  body: T;
}

/** Sends `body` as JSON (a string is sent as it is, to test malformed bodies) to the full `path`. */
export async function send<T = any>(
  t: TestGateway,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<RestResponse<T>> {
  const response = await t.gateway.fetch(`http://gateway.test${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
}

/** `send` to a path under the default REST_BASE_PATH. */
export const rest = <T = any>(t: TestGateway, method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
  send<T>(t, method, `${BASE}${path}`, body, headers);
