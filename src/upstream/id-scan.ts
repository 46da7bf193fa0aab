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
  for (let index = 0, seen = 0; wanted.size > 0; index += 1) {
    if (index >= maxPages) {
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
