// A gateway over a database of its own, driven in-process through `yoga.fetch`.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { type Config, loadConfig } from '../../src/config.js';
import { type Database, openDatabase } from '../../src/db/database.js';
import { createLogger } from '../../src/logger.js';
import { createGateway, type Gateway } from '../../src/server/yoga.js';

const TEMPLATE = 'gateway_template';

export interface GraphQLResponse<T = any> {
  data?: T;
  errors?: {
    message: string;
    path?: (string | number)[];
    locations?: { line: number; column: number }[];
    extensions: Record<string, any>;
  }[];
}

export interface HttpResponse<T = any> {
  status: number;
  headers: Headers;
  body: GraphQLResponse<T>;
}

export interface TestGateway {
  gateway: Gateway;
  db: Database;
  databaseUrl: string;
  /** Log lines written so far, parsed (set LOG_LEVEL in `env` to capture any). */
  logs: Record<string, any>[];
  /** POSTs any JSON body to /graphql; returns status, headers and parsed body. */
  post<T = any>(body: unknown, headers?: Record<string, string>): Promise<HttpResponse<T>>;
  /** POSTs a GraphQL operation and returns the parsed body. */
  gql<T = any>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
  /** Like gql, but fails the test on any error and returns `data`. */
  ok<T = any>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** Runs `work` and returns the SQL statements the gateway sent meanwhile (BEGIN/COMMIT included). */
  recordQueries(work: () => Promise<unknown>): Promise<string[]>;
  /** Runs `work` while every statement whose text `failing` picks fails with `error` before reaching PostgreSQL. */
  failStatements<T>(failing: (text: string) => boolean, error: Error, work: () => Promise<T>): Promise<T>;
  /** Runs SQL directly against the test database (assertions on stored state). */
  sql<R extends pg.QueryResultRow = any>(text: string, values?: unknown[]): Promise<R[]>;
  close(): Promise<void>;
}

/**
 * Creates a fresh database cloned from the migrated template (or, with `empty`, one with no
 * tables at all); returns its URL.
 */
export async function createTestDatabase({ empty = false } = {}): Promise<string> {
  const serverUrl = inject('serverUrl');
  const name = `test_${randomUUID().replace(/-/g, '')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${empty ? 'template0' : TEMPLATE}`);
  } finally {
    await admin.end();
  }
  return serverUrl.replace(/\/postgres$/, `/${name}`);
}

/** A gateway over a fresh database, or over the database of another test gateway (`databaseUrl`). */
export async function createTestGateway(env: Record<string, string> = {}, databaseUrl?: string): Promise<TestGateway> {
  databaseUrl ??= await createTestDatabase();
  const config: Config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DB_POOL_SIZE: '5', ...env, DATABASE_URL: databaseUrl });
  const logs: Record<string, any>[] = [];
  const logger = createLogger(config.LOG_LEVEL, { write: (line: string) => void logs.push(JSON.parse(line)) });
  const db = await openDatabase(config, logger);
  let gateway: Gateway;
  try {
    gateway = createGateway({ db, config, logger });
  } catch (error) {
    await db.close();
    throw error;
  }
  let recording: string[] | undefined;
  let failure: { failing: (text: string) => boolean; error: Error } | undefined;
  // Every statement, from our SQL or from Prisma, goes through a pooled client's query().
  db.pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    client.query = ((...args: unknown[]) => {
      const first = args[0] as string | { text: string };
      const text = typeof first === 'string' ? first : first.text;
      recording?.push(text);
      if (failure?.failing(text)) return Promise.reject(failure.error);
      return query(...args);
    }) as typeof client.query;
  });
  const post = async (body: unknown, headers: Record<string, string> = {}) => {
    const response = await gateway.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
      body: JSON.stringify(body),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLResponse };
  };
  const gql = async (query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) =>
    (await post({ query, variables }, headers)).body;
  return {
    gateway,
    db,
    databaseUrl,
    logs,
    post,
    gql,
    async ok(query, variables) {
      const result = await gql(query, variables);
      if (result.errors) throw new Error(`unexpected GraphQL errors: ${JSON.stringify(result.errors, null, 2)}`);
      return result.data;
    },
    async recordQueries(work) {
      recording = [];
      try {
        await work();
        return recording;
      } finally {
        recording = undefined;
      }
    },
    async failStatements(failing, error, work) {
      failure = { failing, error };
      try {
        return await work();
      } finally {
        failure = undefined;
      }
    },
    async sql(text, values) {
      return (await db.pool.query(text, values)).rows;
    },
    close: () => db.close(),
  };
}

/** Runs one statement on its own connection to the database at `url` (no gateway involved). */
export async function queryDatabase<R extends pg.QueryResultRow>(url: string, text: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text)).rows;
  } finally {
    await client.end();
  }
}
