// Before anything is timed: the gateway and the floor must give the same answer to the same
// requests (object keys sorted, new ids and server timestamps masked), and the gateway must
// answer persisted operations as it answers full documents, or say clearly why it cannot.
import { type BodyKind, normalise, REQUEST_HEADERS, requestBody, type Variables, type Workload } from './workloads.js';

export interface Answer {
  status: number;
  body: any;
}

/** Sends a body to a path of one server: over HTTP in a run, in-process in the tests. */
export type Send = (path: string, body: string) => Promise<Answer>;

export const overHttp =
  (baseUrl: string): Send =>
  (path, body) =>
    post(baseUrl + path, body);

export async function post(url: string, body: string): Promise<Answer> {
  return answerOf(await fetch(url, { method: 'POST', headers: REQUEST_HEADERS, body }));
}

export async function answerOf(response: Response): Promise<Answer> {
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) };
  } catch {
    return { status: response.status, body: { errors: [{ message: `not JSON: ${text.slice(0, 200)}` }] } };
  }
}

const errorText = (answer: Answer) =>
  `HTTP ${answer.status}: ${(answer.body?.errors ?? []).map((e: any) => `${e.message}${e.extensions?.code ? ` (${e.extensions.code})` : ''}`).join('; ')}`;

const failed = (answer: Answer) => answer.status !== 200 || Boolean(answer.body?.errors) || answer.body?.data == null;

/** Where two JSON values first differ, e.g. `customer.services.nodes[0].extensions.coupon: 1 != 2`. */
export function firstDifference(a: unknown, b: unknown, path = ''): string | null {
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path}: ${a.length} items != ${b.length} items`;
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of [...keys].sort()) {
      const d = firstDifference((a as any)[key], (b as any)[key], path ? `${path}.${key}` : key);
      if (d) return d;
    }
    return null;
  }
  return JSON.stringify(a) === JSON.stringify(b) ? null : `${path}: ${JSON.stringify(a)} != ${JSON.stringify(b)}`;
}

export interface Servers {
  gateway: Send;
  floor: Send;
}

/**
 * Sends `samples` requests of `workload` to both servers and returns the problems found; the
 * gateway gets them as `kind` bodies. Draws from the workload's sources like a round would.
 */
export async function compareWithFloor(workload: Workload, servers: Servers, kind: BodyKind, samples: number): Promise<string[]> {
  const seed = `verify:${kind}`;
  const gatewaySource = workload.source(seed, 'gateway');
  const floorSource = workload.source(seed, 'floor');
  const problems: string[] = [];
  for (let i = 0; i < samples && problems.length === 0; i++) {
    const [gv, fv] = [gatewaySource.next(), floorSource.next()];
    if (!gv || !fv) return [`${workload.name}: ran out of input for the check`];
    const a = await servers.gateway('/graphql', requestBody(workload, gv, kind));
    if (failed(a)) return [`${workload.name}: gateway (${kind}) failed on ${JSON.stringify(gv)}: ${errorText(a)}`];
    const b = await servers.floor(workload.floorPath, requestBody(workload, fv, 'document'));
    if (failed(b)) return [`${workload.name}: floor failed on ${JSON.stringify(fv)}: ${errorText(b)}`];
    gatewaySource.onData?.(a.body.data);
    floorSource.onData?.(b.body.data);
    const difference = firstDifference(normalise(a.body.data, workload.volatile), normalise(b.body.data, workload.volatile));
    if (difference) problems.push(`${workload.name}: gateway (${kind}) and floor differ for ${JSON.stringify(gv)} at ${difference}`);
    for (const [who, variables, data] of [
      ['gateway', gv, a.body.data],
      ['floor', fv, b.body.data],
    ] as const) {
      for (const problem of workload.check?.(variables as Variables, data) ?? []) problems.push(`${workload.name}: ${who}: ${problem}`);
    }
  }
  return problems;
}

/** How the gateway knows the bench's documents when they come from its manifest. */
export const FROM_MANIFEST = 'known to the gateway (manifest)';

export type PersistedSupport = { supported: true; via: string } | { supported: false; reason: string };

const notFound = (answer: Answer) =>
  (answer.body?.errors ?? []).some((e: any) =>
    /PERSISTED_?QUERY_?NOT_?FOUND|persisted (query|operation|document).*not found/i.test(`${e.extensions?.code} ${e.message}`),
  );

/**
 * Whether the gateway runs `workload` from its persisted id: already known (a manifest), or
 * after registering it with the Automatic Persisted Queries protocol (id + document once).
 */
export async function preparePersisted(workload: Workload, gateway: Send): Promise<PersistedSupport> {
  const source = workload.source('verify:register', 'gateway');
  const variables = source.next()!;
  const byId = await gateway('/graphql', requestBody(workload, variables, 'persisted'));
  if (!failed(byId)) {
    source.onData?.(byId.body.data);
    return { supported: true, via: FROM_MANIFEST };
  }
  if (!notFound(byId)) return { supported: false, reason: `the gateway does not run operations by id (${errorText(byId)})` };
  const registered = await gateway(
    '/graphql',
    JSON.stringify({ query: workload.document, variables, extensions: { persistedQuery: { version: 1, sha256Hash: workload.hash } } }),
  );
  if (failed(registered)) {
    return {
      supported: false,
      reason: `the document is not in the gateway's manifest and APQ registration failed (${errorText(registered)})`,
    };
  }
  source.onData?.(registered.body.data);
  return { supported: true, via: 'registered with the APQ protocol' };
}
