/**
 * A vendor list re-sorted in memory, for merges whose order the vendor cannot produce natively (CareHQ sorts
 * by one field only). It reads the whole list once per request (users lists are staff-sized) and then
 * serves pages from memory.
 */
import type { PagedSource } from '../domain/paging.ts';
import { readOnce, readRange, totalOf } from './connection.ts';

export function sortedSource<T>(vendorSource: PagedSource<T>, compare: (a: T, b: T) => number): PagedSource<T> {
  // The total and the full read both start at page 0: read each page once.
  const source = readOnce(vendorSource);
  let all: Promise<T[]> | undefined;
  const load = () =>
    (all ??= totalOf(source)
      .then((total) => readRange(source, 0, total))
      .then(({ items }) => [...items].sort(compare)));
  return {
    pageSize: source.pageSize,
    page: async (index) => {
      const items = await load();
      return { items: items.slice(index * source.pageSize, (index + 1) * source.pageSize), total: items.length };
    },
    count: async () => (await load()).length,
  };
}
