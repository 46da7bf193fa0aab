import { describe, expect, it } from 'vitest';
import type { PagedSource } from '../../src/domain/paging.ts';
import { CursorCodec } from '../../src/graphql/connection.ts';
import type { ConnectionModel } from '../../src/domain/paging.ts';
import { mergedConnection, type MergeStream } from '../../src/graphql/merged-connection.ts';

interface Item {
  readonly key: string;
  readonly name: string;
}

function stream(key: string, names: string[], pageSize: number, reads: number[]): MergeStream<Item> {
  const items = names.sort().map((name) => ({ key, name }));
  const source: PagedSource<Item> = {
    pageSize,
    page: (index) => {
      reads.push(index);
      return Promise.resolve({ items: items.slice(index * pageSize, (index + 1) * pageSize), total: items.length });
    },
  };
  return { key, source };
}

const compare = (a: Item, b: Item) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
const codec = new CursorCodec('merged-connection-test-secret');
const words = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${String.fromCharCode(97 + ((i * 7) % 26))}${prefix}${i}`);

function setup() {
  const reads: Record<string, number[]> = { a: [], b: [], c: [] };
  const streams = [
    stream('a', words('x', 23), 10, reads.a ?? []),
    stream('b', words('y', 41), 7, reads.b ?? []),
    stream('c', words('z', 5), 3, reads.c ?? []),
  ];
  const all = streams.flatMap((s) => (s.key === 'a' ? words('x', 23) : s.key === 'b' ? words('y', 41) : words('z', 5)).map((name) => ({ key: s.key, name })));
  return { streams, reads, expected: all.sort(compare) };
}

describe('merged connections', () => {
  it.each([1, 4, 7, 30])('walk forward in pages of %i with no duplicates or gaps, in merged order', async (size) => {
    const { streams, expected } = setup();
    const seen: Item[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 200; guard += 1) {
      const page: ConnectionModel<Item> = await mergedConnection(streams, { first: size, after }, codec, 's', { compare });
      seen.push(...page.edges.map((e) => e.node));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
  });

  it.each([1, 5, 9])('walk backward in pages of %i and meet the same order', async (size) => {
    const { streams, expected } = setup();
    const seen: Item[] = [];
    let before: string | null = null;
    for (let guard = 0; guard < 200; guard += 1) {
      const page: ConnectionModel<Item> = await mergedConnection(streams, { last: size, before }, codec, 's', { compare });
      seen.unshift(...page.edges.map((e) => e.node));
      if (!page.pageInfo.hasPreviousPage) break;
      before = page.pageInfo.startCursor;
    }
    expect(seen).toEqual(expected);
  });

  it('cursors from a backward page continue forward where they point', async () => {
    const { streams, expected } = setup();
    const back = await mergedConnection(streams, { last: 10 }, codec, 's', { compare });
    const from = back.edges[2]?.cursor ?? '';
    const next = await mergedConnection(streams, { first: 3, after: from }, codec, 's', { compare });
    expect(next.edges.map((e) => e.node)).toEqual(expected.slice(expected.length - 7, expected.length - 4));
  });

  it('a later page does not re-read the vendor pages before its cursor', async () => {
    const { streams, reads } = setup();
    const first = await mergedConnection(streams, { first: 40 }, codec, 's', { compare });
    for (const list of Object.values(reads)) list.length = 0;
    await mergedConnection(streams, { first: 5, after: first.pageInfo.endCursor }, codec, 's', { compare });
    expect(Math.min(...(reads.b ?? []))).toBeGreaterThanOrEqual(3);
  });

  it('filters while keeping positions honest, and totals the matches', async () => {
    const { streams, expected } = setup();
    const accept = (item: Item) => item.name.startsWith('a') || item.name.startsWith('h');
    const seen: Item[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 50; guard += 1) {
      const page: ConnectionModel<Item> = await mergedConnection(streams, { first: 2, after }, codec, 's', { compare, accept });
      seen.push(...page.edges.map((e) => e.node));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected.filter(accept));
    const page = await mergedConnection(streams, { first: 1 }, codec, 's', { compare, accept });
    expect(await page.totalCount()).toBe(expected.filter(accept).length);
  });
});
