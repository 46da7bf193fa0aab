/**
 * Caseware lists (vendors.md, "Lists"): `page` counted from 1 and `pageSize`; the answer is a bare array
 * with no total, and an empty array ends a walk. Totals come from probing page numbers (upstream/paging.ts),
 * done once per source and only when asked.
 */
import type { NativePage, PagedSource } from '../../domain/paging.ts';
import { UpstreamError } from '../../upstream/errors.ts';
import { countByProbing, pageOnce } from '../../upstream/paging.ts';
import { VENDOR } from './responses.ts';
import type { CasewareListQuery } from './wire.ts';
import { mapList } from '../mapped-once.ts';

export function pageQuery(index: number, pageSize: number): Required<Pick<CasewareListQuery, 'page' | 'pageSize'>> {
  if (!Number.isInteger(index) || index < 0) throw new RangeError(`expected a page index of 0 or more, got ${index}`);
  return { page: index + 1, pageSize };
}

/** A list answer that is not an array is the vendor misbehaving, not an empty page. */
export function asList<W>(body: unknown, what: string): W[] {
  if (Array.isArray(body)) return body as W[];
  throw new UpstreamError(VENDOR, { kind: 'server_error' }, `Caseware answered ${what} with something other than a list`);
}

export function toNativePage<W, T>(records: readonly W[], map: (record: W) => T): NativePage<T> {
  return { items: mapList(records, map) };
}

/**
 * A paged source whose `count()` probes at most once; a failed count is forgotten so a later ask can retry.
 * Each page is read once per source (one GraphQL request): the window, the connection's `totalOf` and the
 * probe all start at page 1, and with the response cache off or expired each would cost a call. A failed
 * page is dropped the same way.
 */
export function probedSource<T>(pageSize: number, read: (index: number) => Promise<NativePage<T>>): PagedSource<T> {
  const page = pageOnce(read);
  let counting: Promise<number> | undefined;
  return {
    pageSize,
    page,
    count: () => {
      counting ??= countByProbing(page, pageSize).catch((error: unknown) => {
        counting = undefined;
        throw error;
      });
      return counting;
    },
  };
}
