// The manifest of persisted operations: a JSON object { id: document }. Web frontends send only
// an id. scripts/extract-persisted-operations.ts builds it from the clients' .graphql files; the
// gateway loads and validates it once at start, so a stale manifest fails the start, not a user.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  type DefinitionNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  parse,
  print,
  validate,
  visit,
} from 'graphql';
import { type Config, ConfigError, readSettingFile } from '../config.js';
import type { Logger } from '../logger.js';

export type Manifest = ReadonlyMap<string, DocumentNode>;

/** The id of a document: the hex SHA-256 of its text, as in the APQ protocol. */
export function operationId(document: string): string {
  return createHash('sha256').update(document).digest('hex');
}

export interface Extracted {
  /** id -> document, sorted by id. */
  manifest: Record<string, string>;
  operations: { name: string; id: string; source: string }[];
  problems: string[];
}

function fragmentsUsed(root: DefinitionNode, fragments: Map<string, FragmentDefinitionNode>, used = new Set<string>()): Set<string> {
  visit(root, {
    FragmentSpread(node) {
      const name = node.name.value;
      const fragment = fragments.get(name);
      if (used.has(name) || !fragment) return;
      used.add(name);
      fragmentsUsed(fragment, fragments, used);
    },
  });
  return used;
}

/**
 * One manifest entry per named operation found in `sources`, with the fragments it spreads
 * (fragments may live in any source), printed canonically and validated against `schema`.
 */
export function extractOperations(sources: { name: string; body: string }[], schema: GraphQLSchema): Extracted {
  const problems: string[] = [];
  const fragments = new Map<string, FragmentDefinitionNode>();
  const operations = new Map<string, { node: OperationDefinitionNode; source: string }>();
  for (const source of sources) {
    let document: DocumentNode;
    try {
      document = parse(source.body, { noLocation: true });
    } catch (error) {
      problems.push(`${source.name}: ${(error as Error).message}`);
      continue;
    }
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) {
        const name = definition.name.value;
        if (fragments.has(name)) problems.push(`${source.name}: fragment ${name} is defined twice`);
        fragments.set(name, definition);
      } else if (definition.kind === Kind.OPERATION_DEFINITION) {
        const name = definition.name?.value;
        if (!name) problems.push(`${source.name}: every persisted operation needs a name`);
        else if (operations.has(name)) problems.push(`${source.name}: operation ${name} is defined twice`);
        else operations.set(name, { node: definition, source: source.name });
      }
    }
  }
  const entries: [string, string][] = [];
  const listed: Extracted['operations'] = [];
  for (const [name, { node, source }] of operations) {
    const used = [...fragmentsUsed(node, fragments)].sort();
    const document: DocumentNode = { kind: Kind.DOCUMENT, definitions: [node, ...used.map((f) => fragments.get(f)!)] };
    const errors = validate(schema, document);
    if (errors.length) {
      problems.push(...errors.map((e) => `${source}: operation ${name}: ${e.message}`));
      continue;
    }
    const text = print(document);
    const id = operationId(text);
    entries.push([id, text]);
    listed.push({ name, id, source });
  }
  entries.sort(([a], [b]) => a.localeCompare(b));
  return { manifest: Object.fromEntries(entries), operations: listed, problems };
}

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
      const document = parse(text);
      const errors = validate(schema, document);
      if (errors.length) throw new Error(errors.map((e) => e.message).join('; '));
      manifest.set(id, document);
    } catch (error) {
      problems.push(`${where}: operation ${id}: ${(error as Error).message}`);
    }
  }
  if (problems.length) throw new ConfigError(problems);
  logger.info({ manifest: file, operations: manifest.size }, 'persisted operations loaded');
  return manifest;
}
