// The parsed-document cache holds only documents that validated, and a bounded amount of them:
// a flood of unique documents refused at validation, or of large ones, leaves nothing behind.
import { type DocumentNode, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { documentCache, TextBoundedCache } from '../../src/server/document-cache.js';

/** Runs the cache plugin's validation hook as Yoga would, with the validation's outcome. */
function validate(plugin: ReturnType<typeof documentCache>['plugin'], document: DocumentNode, valid: boolean | 'throws') {
  const done = plugin.onValidate!({ params: { documentAST: document } } as never) as ((payload: { valid: boolean }) => void) | undefined;
  if (valid !== 'throws') done?.({ valid });
}

describe('the parsed-document cache', () => {
  it('admits a document once it validated, never one refused or whose validation threw', () => {
    const { caches, plugin } = documentCache();
    for (const [text, outcome] of [
      ['{ a }', true],
      ['{ b }', false],
      ['{ c }', 'throws'],
    ] as const) {
      const document = parse(text);
      caches.documentCache.set(text, document);
      expect(caches.documentCache.get(text)).toBeUndefined();
      validate(plugin, document, outcome);
      expect(caches.documentCache.get(text)).toBe(outcome === true ? document : undefined);
    }
    caches.errorCache.set();
    expect(caches.errorCache.get()).toBeUndefined();
  });

  it('holds at most 1 MiB of text, least recently used out first, and no text over 16 KiB', () => {
    const cache = new TextBoundedCache<number>();
    const text = (i: number) => `${i}`.padEnd(16 * 1024, ' ');
    for (let i = 0; i < 64; i++) cache.set(text(i), i);
    expect(cache.get(text(0))).toBe(0);
    cache.set(text(64), 64);
    // 0 was used last, so 1 went out to make room.
    expect([cache.get(text(0)), cache.get(text(1)), cache.get(text(64))]).toEqual([0, undefined, 64]);
    cache.set(`${text(65)} `, 65);
    expect(cache.get(`${text(65)} `)).toBeUndefined();
  });
});
