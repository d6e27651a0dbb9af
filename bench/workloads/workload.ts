// What a workload is: the requests of one kind an agent desktop or a back end sends (their
// variables drawn from a seeded PRNG), asked of every server in the form that server understands,
// and compared in one canonical form: the gateway's answer.
import type { Dataset } from '../dataset.js';

export type Variables = Record<string, unknown>;

/** The variables of successive requests; a workload that chains requests learns from each answer. */
export interface RequestSource {
  next(): Variables | undefined;
  onData?(data: any): void;
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  body?: string;
  headers?: Record<string, string>;
}

/** How one server is asked a workload's request and how its answer reads in canonical form. */
export interface Exchange {
  request(variables: Variables): HttpRequest;
  /** Cheap enough for every answer under load: false for a failed request. */
  ok(status: number, body: string): boolean;
  /** The answer in the workload's canonical form (the gateway's `data` for GraphQL workloads). */
  read(body: string): unknown;
}

export interface Workload {
  name: string;
  description: string;
  /** How servers that speak the gateway's own API (GraphQL or REST) are asked. */
  exchange: Exchange;
  /** How the floor is asked, when it answers this workload at another workload's path (R1, R2). */
  floor?: Exchange;
  /** The GraphQL document, when there is one: it goes into the gateway's persisted-operation manifest. */
  document?: string;
  /** Fields whose values legitimately differ between two servers (new ids, server time). */
  volatile: string[];
  /** Requests for one round; the same seed gives the same sequence. */
  source(seed: string): RequestSource;
  /** Problems with an answer beyond its shape (e.g. the transition chained the right states). */
  check?(variables: Variables, data: any): string[];
}

/** A workload in the registry (workloads/index.ts): its name, and how it is built over a dataset. */
export interface WorkloadDeclaration {
  name: string;
  create(dataset: Dataset): Workload;
}

export const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/graphql-response+json' };

const graphqlOk = (status: number, body: string) => status === 200 && !body.includes('"errors"');

/** A GraphQL request at `path`, answered with `{ data }`. */
export function graphqlExchange(document: string, path = '/graphql'): Exchange {
  return {
    request: (variables) => ({ method: 'POST', path, body: JSON.stringify({ query: document, variables }) }),
    ok: graphqlOk,
    read: (body) => JSON.parse(body).data,
  };
}

/**
 * A GraphQL request to a server with a schema of its own: the workload's variables turned into
 * that server's, and its `data` turned back into the canonical answer.
 */
export function translatedExchange(
  document: string,
  toVariables: (variables: Variables) => Variables,
  toCanonical: (data: any) => unknown,
): Exchange {
  return {
    request: (variables) => ({
      method: 'POST',
      path: '/graphql',
      body: JSON.stringify({ query: document, variables: toVariables(variables) }),
    }),
    ok: graphqlOk,
    read: (body) => toCanonical(JSON.parse(body).data),
  };
}

/** Object keys sorted and volatile fields masked, so two answers compare as strings. */
export function normalise(value: unknown, volatile: readonly string[]): unknown {
  if (Array.isArray(value)) return value.map((v) => normalise(v, volatile));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    out[key] = volatile.includes(key) && v != null ? `<${key}>` : normalise(v, volatile);
  }
  return out;
}
