/**
 * Clinicea pages: `intPageNo` counted from 0 (or from 1 in another version of the vendor's help), 100 records
 * per page with no page-size parameter, bare arrays, no totals. A page shorter than 100 is the last; past the
 * end the vendor answers 204 with no body, which reaches us as an undefined body.
 */
import type { NativePage } from '../../domain/paging.ts';
import { UpstreamError } from '../../upstream/errors.ts';
import { CLINICEA_PAGE_SIZE, type CliniceaLead } from './wire.ts';

export { CLINICEA_PAGE_SIZE };

/** Our zero-based page index as the vendor numbers it. */
export function pageNumber(index: number, firstPageNumber: 0 | 1): number {
  if (!Number.isInteger(index) || index < 0) {
    throw new RangeError(`expected a page index to be a whole number >= 0, got ${index}`);
  }
  return index + firstPageNumber;
}

/** A list answer as records: an absent body (204) is an empty page; anything but an array is unreadable. */
export function pageRecords(body: unknown): CliniceaLead[] {
  if (body === undefined || body === null) return [];
  if (!Array.isArray(body)) {
    throw new UpstreamError('clinicea', { kind: 'server_error' }, `clinicea answered a list page that is not an array (${typeof body})`);
  }
  return body as CliniceaLead[];
}

export function toNativePage<T>(body: unknown, map: (record: CliniceaLead) => T): NativePage<T> {
  return { items: pageRecords(body).map(map) };
}

