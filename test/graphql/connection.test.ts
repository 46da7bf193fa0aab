import { describe, expect, it } from 'vitest';
import { CursorCodec, offsetConnection, scopeOf } from '../../src/graphql/connection.ts';
import type { PagedSource } from '../../src/domain/paging.ts';

function numbers(count: number, pageSize: number, withTotal: boolean): PagedSource<number> & { calls: number[] } {
  const calls: number[] = [];
  return {
    pageSize,
    calls,
    page: (index) => {
      calls.push(index);
      const items = Array.from({ length: Math.max(0, Math.min(pageSize, count - index * pageSize)) }, (_, i) => index * pageSize + i);
      return Promise.resolve(withTotal ? { items, total: count } : { items });
    },
    count: () => Promise.resolve(count),
  };
}

describe('cursors', () => {
  const codec = new CursorCodec('a-test-secret-of-some-length');

  it('round-trip a position within their scope', () => {
    const cursor = codec.encode('s', { o: 5 });
    expect(codec.decode(cursor, 's', 'after')).toEqual({ o: 5 });
  });

  it.each([
    ['another scope', (c: string) => c, 'other'],
    ['an edited payload', (c: string) => c.replace(/\.[^.]+\./, `.${Buffer.from('{"s":"s","p":{"o":9}}').toString('base64url')}.`), 's'],
    ['a cut mac', (c: string) => c.slice(0, -2), 's'],
    ['no prefix', (c: string) => c.slice(3), 's'],
  ])('refuse %s', (_name, change, scope) => {
    expect(() => codec.decode(change(codec.encode('s', { o: 1 })), scope, 'after')).toThrow(/invalid cursor/);
  });

  it('scopes are stable whatever the key order of the filter', () => {
    expect(scopeOf('x', { a: 1, b: 2 })).toBe(scopeOf('x', { b: 2, a: 1 }));
    expect(scopeOf('x', { a: 1 })).not.toBe(scopeOf('x', { a: 2 }));
  });
});

describe('offset connections', () => {
  const codec = new CursorCodec('a-test-secret-of-some-length');

  it('counts only when totalCount is asked for, for sources without totals', async () => {
    const source = numbers(42, 10, false);
    const connection = await offsetConnection(source, { first: 3 }, codec, 's');
    expect(connection.edges.map((e) => e.node)).toEqual([0, 1, 2]);
    expect(source.calls).toEqual([0]);
    expect(await connection.totalCount()).toBe(42);
  });

  it('a backward page without a cursor starts from the end', async () => {
    const connection = await offsetConnection(numbers(42, 10, true), { last: 4 }, codec, 's');
    expect(connection.edges.map((e) => e.node)).toEqual([38, 39, 40, 41]);
    expect(connection.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });

  it('first: 0 returns no edges but knows whether there is more', async () => {
    const connection = await offsetConnection(numbers(5, 10, true), { first: 0 }, codec, 's');
    expect(connection.edges).toEqual([]);
    expect(connection.pageInfo.hasNextPage).toBe(true);
  });
});

describe('window-sized pages (sources that offer withPageSize)', () => {
  const codec = new CursorCodec('a-test-secret-of-some-length');

  /** A list of `count` numbers with totals, readable at any page size up to `max`; logs [size, index] per read. */
  function resizable(count: number, max: number, asked: Array<[number, number]>): PagedSource<number> {
    const sized = (size: number): PagedSource<number> => ({
      pageSize: size,
      withPageSize: sized,
      page: (index) => {
        asked.push([size, index]);
        const items = Array.from({ length: Math.max(0, Math.min(size, count - index * size)) }, (_, i) => index * size + i);
        return Promise.resolve({ items, total: count });
      },
    });
    return sized(max);
  }

  it('reads a window from the start as one page of its own size', async () => {
    const asked: Array<[number, number]> = [];
    const connection = await offsetConnection(resizable(250, 100, asked), { first: 20 }, codec, 's');
    expect(connection.edges.map((e) => e.node)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(connection.pageInfo.hasNextPage).toBe(true);
    expect(await connection.totalCount()).toBe(250);
    expect(asked).toEqual([[20, 0]]);
  });

  it('reads a window across a boundary of the largest pages as one page that holds it', async () => {
    const asked: Array<[number, number]> = [];
    const after = codec.encode('s', { o: 94 });
    const connection = await offsetConnection(resizable(250, 100, asked), { first: 20, after }, codec, 's');
    expect(connection.edges.map((e) => e.node)).toEqual(Array.from({ length: 20 }, (_, i) => 95 + i));
    // 23 records a page: page 4 holds records 92..114.
    expect(asked).toEqual([[23, 4]]);
  });

  it('keeps the largest pages when no smaller one holds the window, and at the end of the list', async () => {
    const asked: Array<[number, number]> = [];
    const after = codec.encode('s', { o: 49 });
    const connection = await offsetConnection(resizable(250, 100, asked), { first: 100, after }, codec, 's');
    expect(connection.edges).toHaveLength(100);
    expect(asked).toEqual([[100, 0], [100, 1]]);
    asked.length = 0;
    const last = await offsetConnection(resizable(250, 100, asked), { first: 20, after: codec.encode('s', { o: 239 }) }, codec, 's');
    expect(last.edges.map((e) => e.node)).toEqual(Array.from({ length: 10 }, (_, i) => 240 + i));
    expect(last.pageInfo.hasNextPage).toBe(false);
    expect(asked).toEqual([[20, 12]]);
  });
});

describe('cursor signing', () => {
  class CountingCodec extends CursorCodec {
    encoded = 0;
    override encode(scope: string, position: unknown): string {
      this.encoded += 1;
      return super.encode(scope, position);
    }
  }

  it('signs no cursor for a page whose cursors nobody reads, and each read one once', async () => {
    const codec = new CountingCodec('a-test-secret-of-some-length');
    const page = await offsetConnection(numbers(300, 100, true), { first: 100 }, codec, scopeOf('numbers', null));
    expect(page.edges.map((edge) => edge.node)).toHaveLength(100);
    expect(codec.encoded).toBe(0);
    const end = page.pageInfo.endCursor;
    expect(page.edges[99]?.cursor).toBe(end);
    expect(codec.encoded).toBe(1);
    expect(codec.decode(end ?? '', scopeOf('numbers', null), 'after')).toEqual({ o: 99 });
  });
});
