/**
 * `GET leads`: zero-based pages of bare arrays with 204 for an empty page, filtered by `startRange`/`endRange`
 * on the creation day, and an incremental sync by `lastSyncTimestamp` that marks each row with DataStatusStr.
 */
import {
  CLINICEA_NULL_DATE,
  CLINICEA_RANGE_PATTERN,
  CLINICEA_SYNC_TIMESTAMP_PATTERN,
  CLINICEA_TIMESTAMP_PATTERN,
  type CliniceaDataStatus,
  type CliniceaLead,
} from '../../vendors/clinicea/wire.ts';
import type { SimRequest, SimResponse } from '../http.ts';
import { error, json } from './answers.ts';
import { cliniceaDate } from './seed.ts';
import type { CliniceaStore, CliniceaTombstone } from './store.ts';

interface ListQuery {
  readonly from?: string;
  readonly to?: string;
  readonly pageIndex: number;
  readonly since?: string;
}

export function listLeads(
  req: SimRequest,
  store: CliniceaStore,
  paging: { pageSize: number; firstPageNumber: number },
): SimResponse {
  const query = parseListQuery(req.query, paging.firstPageNumber);
  if (typeof query === 'string') return json(400, error(query));

  const createdInRange = (created: string) => {
    const day = created.slice(0, 10);
    return (query.from === undefined || day >= query.from) && (query.to === undefined || day <= query.to);
  };
  const rows =
    query.since === undefined ? liveRows(store, createdInRange) : syncRows(store, query.since, createdInRange);

  const start = query.pageIndex * paging.pageSize;
  const page = rows.slice(start, start + paging.pageSize);
  // Observed: past the last record the vendor answers 204 with no body, never `[]`.
  return page.length === 0 ? { status: 204 } : json(200, page);
}

function liveRows(store: CliniceaStore, inRange: (created: string) => boolean): CliniceaLead[] {
  return [...store.leads.values()]
    .filter((lead) => inRange(lead.CreatedDatetime))
    .sort((a, b) => Number(a.LeadID) - Number(b.LeadID))
    .map((lead) => ({ ...lead, DataStatusStr: 'None' }));
}

/**
 * Everything added, modified or deleted strictly after `since`, ordered by when it changed and then LeadID,
 * so that a walk over pages sees each change once while nothing is written. A lead never modified carries
 * the sentinel ModifiedDatetime, so its creation time is when it changed.
 */
function syncRows(store: CliniceaStore, since: string, inRange: (created: string) => boolean): CliniceaLead[] {
  const rows: Array<{ changedAt: string; lead: CliniceaLead }> = [];
  for (const lead of store.leads.values()) {
    if (!inRange(lead.CreatedDatetime)) continue;
    const modified = lead.ModifiedDatetime === CLINICEA_NULL_DATE ? lead.CreatedDatetime : lead.ModifiedDatetime;
    const status: CliniceaDataStatus | undefined =
      lead.CreatedDatetime > since ? 'Added' : modified > since ? 'Modified' : undefined;
    if (status) rows.push({ changedAt: modified, lead: { ...lead, DataStatusStr: status } });
  }
  for (const tomb of store.tombstones.values()) {
    if (tomb.DeletedDatetime > since && inRange(tomb.CreatedDatetime)) {
      rows.push({ changedAt: tomb.DeletedDatetime, lead: tombstone(tomb) });
    }
  }
  return rows
    .sort((a, b) => compare(a.changedAt, b.changedAt) || Number(a.lead.LeadID) - Number(b.lead.LeadID))
    .map((row) => row.lead);
}

function tombstone(tomb: CliniceaTombstone): CliniceaLead {
  return {
    LeadID: tomb.LeadID,
    FirstName: null,
    LastName: null,
    Email: null,
    Mobile: null,
    Source: null,
    Status: null,
    Notes: null,
    OwnerUserID: null,
    CreatedDatetime: CLINICEA_NULL_DATE,
    ModifiedDatetime: tomb.DeletedDatetime,
    DataStatusStr: 'Deleted',
  };
}

/** The parsed query, or the 400 message. */
function parseListQuery(params: URLSearchParams, firstPage: number): ListQuery | string {
  const startRange = params.get('startRange');
  const endRange = params.get('endRange');
  const pageNo = params.get('intPageNo');
  const since = params.get('lastSyncTimestamp');

  const from = startRange === null ? undefined : rangeDay(startRange);
  if (from === null) return `startRange must be a date written yyyymmdd, got '${startRange}'.`;
  const to = endRange === null ? undefined : rangeDay(endRange);
  if (to === null) return `endRange must be a date written yyyymmdd, got '${endRange}'.`;
  if (from !== undefined && to !== undefined && from > to) {
    return `startRange '${startRange}' is after endRange '${endRange}'.`;
  }

  let pageIndex = 0;
  if (pageNo !== null) {
    if (!/^\d{1,9}$/.test(pageNo) || Number(pageNo) < firstPage) {
      return `intPageNo must be a whole number from ${firstPage}, got '${pageNo}'.`;
    }
    pageIndex = Number(pageNo) - firstPage;
  }

  const sinceUtc = since === null ? undefined : syncInstant(since);
  if (sinceUtc === null) {
    return `lastSyncTimestamp must be ISO 8601 written YYYY-MM-DDTHH:mm:ss with an optional offset such as +0:00, without milliseconds or Z, got '${since}'.`;
  }
  return { from, to, pageIndex, since: sinceUtc };
}

/** `yyyymmdd` -> `YYYY-MM-DD`, or null when it is not a real calendar date. */
function rangeDay(value: string): string | null {
  if (!CLINICEA_RANGE_PATTERN.test(value)) return null;
  const day = `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`;
  return isRealDate(`${day}T00:00:00`) ? day : null;
}

/**
 * A `lastSyncTimestamp` as the UTC `YYYY-MM-DDTHH:mm:ss` the store compares, or null when the vendor would
 * refuse it. Takes the docs' `+0:00`, `+00:00` and any offset up to ±14:00; no offset means UTC.
 */
function syncInstant(value: string): string | null {
  const match = CLINICEA_SYNC_TIMESTAMP_PATTERN.exec(value);
  const local = match?.[1];
  if (!match || local === undefined || !isRealDate(local)) return null;
  const [, , sign, hours, minutes] = match;
  if (sign === undefined) return local;
  const offsetMinutes = Number(hours) * 60 + Number(minutes);
  if (Number(minutes) > 59 || offsetMinutes > 14 * 60) return null;
  const utc = Date.parse(`${local}Z`) - (sign === '-' ? -1 : 1) * offsetMinutes * 60_000;
  const text = cliniceaDate(utc);
  return CLINICEA_TIMESTAMP_PATTERN.test(text) ? text : null;
}

/** Date.parse rolls 2026-02-30 over to March; a round trip catches it. */
function isRealDate(timestamp: string): boolean {
  const ms = Date.parse(`${timestamp}Z`);
  return !Number.isNaN(ms) && cliniceaDate(ms) === timestamp;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
