// One HTTP exchange with the gateway, bytes in and bytes out: hostile requests need bodies and
// URLs that fetch() would refuse or repair (invalid UTF-8, broken lengths), and every answer is
// timed. Status 0 means no answer at all: refused, reset or timed out.
import http from 'node:http';

export interface Exchange {
  method: string;
  /** Path and query, sent as given. */
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** Send the body chunked, without Content-Length. */
  chunked?: boolean;
}

export interface Answer {
  status: number;
  ms: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Why there was no answer (status 0). */
  failure?: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

export function send(baseUrl: string, exchange: Exchange, timeoutMs: number): Promise<Answer> {
  const started = performance.now();
  const url = new URL(baseUrl);
  const body = typeof exchange.body === 'string' ? Buffer.from(exchange.body) : exchange.body;
  const headers: Record<string, string> = { ...exchange.headers };
  if (body && !exchange.chunked) headers['content-length'] = String(body.length);
  return new Promise((resolve) => {
    const done = (answer: Omit<Answer, 'ms'>) => resolve({ ...answer, ms: performance.now() - started });
    const request = http.request(
      { host: url.hostname, port: url.port, path: exchange.path, method: exchange.method, headers, agent, timeout: timeoutMs },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          done({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString() }),
        );
        response.on('error', (error) => done({ status: 0, headers: {}, body: '', failure: error.message }));
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', (error) => done({ status: 0, headers: {}, body: '', failure: error.message }));
    if (body) request.write(body);
    request.end();
  });
}

/** POSTs a GraphQL operation as JSON. */
export function postGraphql(baseUrl: string, payload: unknown, timeoutMs: number): Promise<Answer> {
  return send(
    baseUrl,
    { method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) },
    timeoutMs,
  );
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
