/**
 * Generic API pages: `page` counted from 1 and `limit` up to 100, totals in `meta` on every answer (a page
 * past the end still answers, empty, with the totals). We always ask for the maximum so that any Relay
 * window costs at most two calls.
 */
import type { NativePage } from '../../domain/paging.ts';
import { GENERIC_LIST_LIMITS, type GenericPage } from './wire.ts';
import { mapList } from '../mapped-once.ts';

export const GENERIC_MAX_LIMIT = GENERIC_LIST_LIMITS.maxLimit;

export function pageParams(index: number, limit = GENERIC_MAX_LIMIT): { page: number; limit: number } {
  return { page: index + 1, limit };
}

export function toNativePage<W, T>(page: GenericPage<W>, map: (record: W) => T): NativePage<T> {
  const total = page.meta?.totalItems;
  return typeof total === 'number' ? { items: mapList(page.data, map), total } : { items: mapList(page.data, map) };
}
