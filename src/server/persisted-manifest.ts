// The manifest of persisted operations: a JSON object { id: document }, as graphql-codegen's client
// preset writes it (persisted-documents.json). Web frontends send only an id. The gateway loads and
// validates it once at start, so a stale manifest fails the start, not a user.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { type DocumentNode, type GraphQLSchema, parse, validate } from 'graphql';
import { type Config, ConfigError, readSettingFile } from '../config.js';
import type { Logger } from '../logger.js';

export type Manifest = ReadonlyMap<string, DocumentNode>;

/** The id of a document: the hex SHA-256 of its text, as in the APQ protocol. */
export function operationId(document: string): string {
  return createHash('sha256').update(document).digest('hex');
}

/**
 * The id a manifest and a request agree on: `sha256:<hex>` (GraphQL over HTTP's documentId, what
 * graphql-codegen's client preset writes) and the bare hex of APQ name the same document.
 */
export function canonicalId(id: string): string {
  return id.startsWith('sha256:') ? id.slice(7) : id;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Loads PERSISTED_OPERATIONS_MANIFEST; every document must parse and validate against `schema`. */
export function loadManifest(
  config: Pick<Config, 'PERSISTED_OPERATIONS' | 'PERSISTED_OPERATIONS_MANIFEST'>,
  schema: GraphQLSchema,
  logger: Logger,
): Manifest {
  const name = 'PERSISTED_OPERATIONS_MANIFEST';
  const file = config.PERSISTED_OPERATIONS_MANIFEST;
  const where = `${name}=${JSON.stringify(file)}`;
  if (config.PERSISTED_OPERATIONS === 'off') return new Map();
  if (!existsSync(path.resolve(file))) {
    if (config.PERSISTED_OPERATIONS === 'only') {
      throw new ConfigError([`${where}: no such file, and PERSISTED_OPERATIONS=only would refuse every request`]);
    }
    logger.info({ manifest: file }, 'no persisted operations manifest: only full documents and APQ');
    return new Map();
  }
  let entries: [string, unknown][];
  try {
    const json: unknown = JSON.parse(readSettingFile(name, file));
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error('expected an object { id: document }');
    entries = Object.entries(json);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError([`${where}: ${(error as Error).message}`]);
  }
  const manifest = new Map<string, DocumentNode>();
  const problems: string[] = [];
  for (const [id, text] of entries) {
    try {
      if (typeof text !== 'string') throw new Error('the document must be a string');
      const key = canonicalId(id);
      // A hash id must be the hash of its document, or clients and gateway disagree on what runs.
      if (SHA256_HEX.test(key) && key !== operationId(text)) throw new Error('the id is not the SHA-256 of the document');
      const document = parse(text);
      const errors = validate(schema, document);
      if (errors.length) throw new Error(errors.map((e) => e.message).join('; '));
      manifest.set(key, document);
    } catch (error) {
      problems.push(`${where}: operation ${id}: ${(error as Error).message}`);
    }
  }
  if (problems.length) throw new ConfigError(problems);
  logger.info({ manifest: file, operations: manifest.size }, 'persisted operations loaded');
  return manifest;
}
