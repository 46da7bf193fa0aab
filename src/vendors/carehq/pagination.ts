/**
 * CareHQ pages: `page` counted from 1, `per_page` up to 100 (default 10), totals in every answer. We always
 * ask for the maximum, so any Relay window costs at most two calls.
 */
import type { NativePage } from '../../domain/paging.ts';
import type { CareHqPage } from './wire.ts';
import { mapList } from '../mapped-once.ts';

export const CAREHQ_MAX_PER_PAGE = 100;

export function pageParams(index: number, perPage = CAREHQ_MAX_PER_PAGE): { page: number; per_page: number } {
  return { page: index + 1, per_page: perPage };
}

export function toNativePage<W, T>(page: CareHqPage<W>, map: (record: W) => T): NativePage<T> {
  return { items: mapList(page.items, map), total: page.total_items };
}
