/**
 * Records by id from a documented list, for a vendor with no documented way to ask for them by id: page after
 * page until every id is seen or the list ends. Every page is a vendor call paid from the request's call
 * budget (budget.ts), so a long list stops there, and at `maxPages` for callers without a budget. An id the
 * walk did not reach (the budget ran out, a page failed) gets that error, never null: only a walk to the end
 * shows a record is absent.
 */
import type { PagedSource } from '../domain/paging.ts';
import { UpstreamError } from './errors.ts';

export interface ScanOptions {
  /** Named in the error for ids the walk did not reach. */
  readonly vendor: string;
  /** Pages walked at most, whatever the budget. Default 100. */
  readonly maxPages?: number;
  /** The first page to read (0-based), when the pages before it were read already. Default 0. */
  readonly fromPage?: number;
}

export async function scanForIds<T>(
  source: PagedSource<T>,
  ids: Iterable<string>,
  idOf: (record: T) => string,
  options: ScanOptions,
): Promise<Map<string, T | Error>> {
  const maxPages = options.maxPages ?? 100;
  const wanted = new Set(ids);
  const found = new Map<string, T | Error>();
  const fromPage = options.fromPage ?? 0;
  for (let index = fromPage, seen = fromPage * source.pageSize; wanted.size > 0; index += 1) {
    if (index - fromPage >= maxPages) {
      const stopped = new UpstreamError(
        options.vendor,
        { kind: 'call_budget_spent', limit: maxPages },
        `looked through ${maxPages} pages of the list without reaching this record; the vendor has no documented way to ask for it by id`,
        undefined,
        true,
      );
      for (const id of wanted) found.set(id, stopped);
      break;
    }
    let items: readonly T[];
    let total: number | undefined;
    try {
      ({ items, total } = await source.page(index));
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      for (const id of wanted) found.set(id, failure);
      break;
    }
    for (const record of items) {
      const id = idOf(record);
      if (wanted.delete(id)) found.set(id, record);
    }
    seen += items.length;
    if (items.length < source.pageSize || (total !== undefined && seen >= total)) break;
  }
  return found;
}

/**
 * Many records by id where the vendor documents both a list and a GET by id: the first page of the list is
 * read (its records, and its total, decide), then the cheaper way is taken for the rest: one GET each when
 * they are no more than the pages left, else the walk goes on. Absent ids map to null.
 */
export async function findByIds<T>(
  source: PagedSource<T>,
  ids: readonly string[],
  idOf: (record: T) => string,
  getOne: (id: string) => Promise<T | null>,
  options: ScanOptions,
): Promise<Map<string, T | null | Error>> {
  const out = new Map<string, T | null | Error>();
  const wanted = new Set(ids);
  let first;
  try {
    first = await source.page(0);
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    for (const id of wanted) out.set(id, failure);
    return out;
  }
  for (const record of first.items) {
    const id = idOf(record);
    if (wanted.delete(id)) out.set(id, record);
  }
  const ended = first.items.length < source.pageSize || (first.total !== undefined && first.total <= first.items.length);
  if (ended) {
    for (const id of wanted) out.set(id, null);
    return out;
  }
  const pagesLeft = first.total === undefined ? Number.POSITIVE_INFINITY : Math.ceil(first.total / source.pageSize) - 1;
  if (wanted.size <= pagesLeft) {
    await Promise.all([...wanted].map(async (id) => out.set(id, await getOne(id).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))))));
    return out;
  }
  const walked = await scanForIds(source, wanted, idOf, { ...options, fromPage: 1 });
  for (const id of wanted) out.set(id, walked.get(id) ?? null);
  return out;
}
