// The cache of parsed documents (and of parse errors) Yoga keeps by their text; validation
// results live as long as their document. Yoga's default holds 1,024 documents of any size for an
// hour, and a parsed document weighs tens of times its text: a flood of unique large documents
// (refused for their depth, aliases or directives, or not) kept about a megabyte each, and could
// fill the heap. This one holds only documents that validated, each under MAX_CACHED_CHARS, within
// CACHE_BUDGET_CHARS of text in all, least recently used first out; and no parse errors, which
// hold their whole document (a client repeating a broken document gets it parsed again).
import type { DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';

const MAX_CACHED_CHARS = 16 * 1024;
const CACHE_BUDGET_CHARS = 1024 * 1024;
const MAX_ENTRIES = 1024;

/** An LRU map bounded by the total length of its keys (the documents' text). */
export class TextBoundedCache<T> {
  private readonly entries = new Map<string, T>();
  private chars = 0;

  get(text: string): T | undefined {
    const value = this.entries.get(text);
    if (value !== undefined) {
      this.entries.delete(text);
      this.entries.set(text, value);
    }
    return value;
  }

  set(text: string, value: T): void {
    if (text.length > MAX_CACHED_CHARS) return;
    this.delete(text);
    this.entries.set(text, value);
    this.chars += text.length;
    for (const oldest of this.entries.keys()) {
      if (this.chars <= CACHE_BUDGET_CHARS && this.entries.size <= MAX_ENTRIES) break;
      this.delete(oldest);
    }
  }

  private delete(text: string): void {
    if (this.entries.delete(text)) this.chars -= text.length;
  }
}

/**
 * Yoga's parser cache option, and the plugin that admits a parsed document into it once it
 * validated (refusals such as the depth limit throw out of validation, so a document is held
 * aside, weakly, until then).
 */
export function documentCache(): {
  caches: {
    documentCache: { get(text: string): DocumentNode | undefined; set(text: string, document: DocumentNode): void };
    errorCache: { get(): undefined; set(): void };
  };
  plugin: Plugin;
} {
  const documents = new TextBoundedCache<DocumentNode>();
  const parsed = new WeakMap<DocumentNode, string>();
  return {
    caches: {
      documentCache: { get: (text) => documents.get(text), set: (text, document) => void parsed.set(document, text) },
      errorCache: { get: () => undefined, set: () => {} },
    },
    plugin: {
      onValidate({ params }) {
        const text = parsed.get(params.documentAST);
        if (text === undefined) return;
        return ({ valid }) => {
          parsed.delete(params.documentAST);
          if (valid) documents.set(text, params.documentAST);
        };
      },
    },
  };
}
