// Persisted operations (PERSISTED_OPERATIONS):
//   off    documents only;
//   allow  documents, manifest ids, and Automatic Persisted Queries: a document sent with
//          extensions.persistedQuery.sha256Hash is remembered (hash verified, APQ_CACHE_SIZE most
//          recent) so later requests may send the hash alone;
//   only   manifest ids only; any document is refused (PERSISTED_QUERY_ONLY, HTTP 400).
// Clients send an id as `documentId` (GraphQL over HTTP's persisted documents: in the POST body,
// or a GET parameter) or as extensions.persistedQuery { version: 1, sha256Hash: id } (APQ, Apollo
// and urql links); `sha256:<hex>` and `<hex>` are the same id. An unknown id answers
// PersistedQueryNotFound (HTTP 404, so APQ clients retry with the document).
import { defaultExtractPersistedOperationId, usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import type { DocumentNode } from 'graphql';
import type { GraphQLParams, Plugin } from 'graphql-yoga';
import type { Config } from '../config.js';
import { canonicalId, type Manifest, operationId } from './persisted-manifest.js';
import { requestError } from './request-errors.js';

const errorOptions = (code: string, status: number, message: string) => ({ message, extensions: { code, http: { status } } });

/** The most recently used documents registered through APQ. */
class RecentDocuments {
  private readonly documents = new Map<string, string>();
  constructor(private readonly capacity: number) {}

  get(id: string): string | undefined {
    const document = this.documents.get(id);
    if (document !== undefined) {
      this.documents.delete(id);
      this.documents.set(id, document);
    }
    return document;
  }

  set(id: string, document: string): void {
    this.documents.delete(id);
    this.documents.set(id, document);
    if (this.documents.size > this.capacity) this.documents.delete(this.documents.keys().next().value!);
  }
}

/** The id a request names: `documentId` in a POST body or a GET query string, or the APQ hash. */
function requestedId(params: GraphQLParams & { documentId?: unknown }, request: Request, context: unknown): string | null {
  let id = typeof params.documentId === 'string' ? params.documentId : null;
  if (id === null && request.method === 'GET' && request.url.includes('documentId=')) {
    id = new URL(request.url).searchParams.get('documentId');
  }
  id ??= defaultExtractPersistedOperationId(params, request, context as Parameters<typeof defaultExtractPersistedOperationId>[2]);
  return id === null ? null : canonicalId(id);
}

/** APQ registration: a document sent with its hash is kept once the hash is checked. */
function useApqRegistration(recent: RecentDocuments): Plugin {
  return {
    onParams({ params, request, context }) {
      const hash = requestedId(params, request, context);
      if (!params.query || hash == null) return;
      if (operationId(params.query) !== hash) {
        throw requestError('PERSISTED_QUERY_HASH_MISMATCH', 400, 'extensions.persistedQuery.sha256Hash is not the SHA-256 of the query');
      }
      recent.set(hash, params.query);
    },
  };
}

/** `ownDocuments` tells the requests whose documents the gateway built itself (REST routes): never refused. */
export function usePersistedOperationPolicy(
  config: Pick<Config, 'PERSISTED_OPERATIONS' | 'APQ_CACHE_SIZE'>,
  manifest: Manifest,
  ownDocuments: (request: Request) => boolean = () => false,
): Plugin[] {
  if (config.PERSISTED_OPERATIONS === 'off') return [];
  const only = config.PERSISTED_OPERATIONS === 'only';
  const recent = !only && config.APQ_CACHE_SIZE > 0 ? new RecentDocuments(config.APQ_CACHE_SIZE) : undefined;
  const lookup = (id: string): DocumentNode | string | null => manifest.get(id) ?? recent?.get(id) ?? null;
  return [
    ...(recent ? [useApqRegistration(recent)] : []),
    usePersistedOperations({
      allowArbitraryOperations: only ? ownDocuments : true,
      extractPersistedOperationId: requestedId,
      getPersistedOperation: lookup,
      customErrors: {
        // APQ clients recognise this exact message and code.
        notFound: errorOptions('PERSISTED_QUERY_NOT_FOUND', 404, 'PersistedQueryNotFound'),
        persistedQueryOnly: errorOptions(
          'PERSISTED_QUERY_ONLY',
          400,
          'This gateway runs persisted operations only: send the documentId of a manifest operation instead of a query.',
        ),
        keyNotFound: errorOptions(
          'PERSISTED_QUERY_ID_REQUIRED',
          400,
          only
            ? 'Send a documentId (or extensions.persistedQuery { version: 1, sha256Hash }) naming a persisted operation.'
            : 'Send a query, or a documentId (or extensions.persistedQuery { version: 1, sha256Hash }) naming a persisted operation.',
        ),
      },
    }),
  ];
}
