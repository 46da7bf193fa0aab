/** The response cache stays within its bounds, keeps one frozen representation, and invalidates by deleting. */
import { afterEach, describe, expect, it } from 'vitest';
import { ResponseCache } from '../../src/upstream/cache.ts';
import type { UpstreamResponse } from '../../src/upstream/request.ts';

const caches: ResponseCache[] = [];
afterEach(() => caches.splice(0).forEach((cache) => cache.close()));

function cache(options: ConstructorParameters<typeof ResponseCache>[0] = {}): ResponseCache {
  const made = new ResponseCache(options);
  caches.push(made);
  return made;
}

function json(value: unknown): UpstreamResponse {
  const text = JSON.stringify(value);
  return { status: 200, headers: new Headers({ 'content-type': 'application/json' }), body: JSON.parse(text) as unknown, bytes: new TextEncoder().encode(text) };
}

describe('response cache', () => {
  it('answers a hit with the same frozen object: no copy, and no reader can change what the next one sees', () => {
    const c = cache();
    c.set('carehq|k', 'https://x/a', json({ items: [{ id: 1 }] }), 60_000);
    const first = c.get('carehq|k', 'https://x/a');
    const second = c.get('carehq|k', 'https://x/a');
    expect(second).toBe(first);
    expect(Object.isFrozen(first?.body)).toBe(true);
    expect(() => {
      ((first?.body as { items: Array<{ id: number }> }).items[0] as { id: number }).id = 2;
    }).toThrow(TypeError);
    expect(new TextDecoder().decode(first?.bytes)).toBe('{"items":[{"id":1}]}');
  });

  it('keeps raw bytes, and only them, when the body is not JSON', () => {
    const c = cache();
    const bytes = new Uint8Array([1, 2, 3]);
    c.set('carecloud|k', 'https://x/file', { status: 200, headers: new Headers(), body: undefined, bytes }, 60_000);
    const hit = c.get('carecloud|k', 'https://x/file');
    expect(hit?.bytes).toBe(bytes);
    expect(hit?.body).toBeUndefined();
  });

  it('holds at most maxEntries however many distinct keys clients send', () => {
    const c = cache({ maxEntries: 100 });
    for (let i = 0; i < 5_000; i += 1) c.set('carehq|k', `https://x/?search=${i}`, json({ i }), 60_000);
    expect(c.stats.entries).toBe(100);
    expect(c.get('carehq|k', 'https://x/?search=4999')).toBeDefined();
    expect(c.get('carehq|k', 'https://x/?search=0')).toBeUndefined();
  });

  it('holds at most maxBytes, counting parsed JSON at twice its text', () => {
    const c = cache({ maxBytes: 100_000 });
    const big = { text: 'x'.repeat(5_000) };
    for (let i = 0; i < 200; i += 1) c.set('carehq|k', `https://x/${i}`, json(big), 60_000);
    expect(c.stats.bytes).toBeLessThanOrEqual(100_000);
    expect(c.stats.entries).toBeLessThanOrEqual(10);
    expect(c.stats.entries).toBeGreaterThanOrEqual(8);
  });

  it('does not keep an answer larger than the whole cache', () => {
    const c = cache({ maxBytes: 1_000 });
    c.set('carehq|k', 'https://x/huge', json({ text: 'x'.repeat(2_000) }), 60_000);
    expect(c.get('carehq|k', 'https://x/huge')).toBeUndefined();
    expect(c.stats.entries).toBe(0);
  });

  it('deletes a scope on invalidation and leaves other scopes alone', () => {
    const c = cache();
    for (let i = 0; i < 50; i += 1) {
      c.set('carehq|k', `https://x/${i}`, json({ i }), 60_000);
      c.set('generic|k', `https://y/${i}`, json({ i }), 60_000);
    }
    c.invalidate('carehq|k');
    expect(c.stats.entries).toBe(50);
    expect(c.get('carehq|k', 'https://x/1')).toBeUndefined();
    expect(c.get('generic|k', 'https://y/1')).toBeDefined();
    c.set('carehq|k', 'https://x/1', json({ again: true }), 60_000);
    expect(c.get('carehq|k', 'https://x/1')?.body).toEqual({ again: true });
  });

  it('sweeps expired entries on its timer, without a read', async () => {
    const c = cache({ purgeIntervalMs: 20 });
    for (let i = 0; i < 20; i += 1) c.set('carehq|k', `https://x/${i}`, json({ i }), 10);
    expect(c.stats.entries).toBe(20);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(c.stats.entries).toBe(0);
    expect(c.stats.bytes).toBe(0);
  });

  it.each([
    [{ maxBytes: 0 }, 'expected maxBytes to be a whole number of at least 1, got 0'],
    [{ maxEntries: 1.5 }, 'expected maxEntries to be a whole number of at least 1, got 1.5'],
  ])('says what it expected: %j', (options, message) => {
    expect(() => new ResponseCache(options)).toThrow(message);
  });
});
