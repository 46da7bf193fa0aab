/**
 * CareCloud file lists: `page` counted from 1, `pageSize` up to 100, `TotalItems` in every answer. We ask for
 * the maximum by default: every call counts against the monthly quota.
 */
import type { NativePage } from '../../domain/paging.ts';
import { CARECLOUD_MAX_PAGE_SIZE, type CareCloudFileListQuery, type CareCloudPage } from './wire.ts';
import { mapList } from '../mapped-once.ts';

export { CARECLOUD_MAX_PAGE_SIZE };

export function pageParams(index: number, pageSize: number): Required<CareCloudFileListQuery> {
  return { page: index + 1, pageSize };
}

export function toNativePage<W, T>(page: CareCloudPage<W>, map: (record: W) => T): NativePage<T> {
  return { items: mapList(page.Items, map), total: page.TotalItems };
}
