/**
 * A loopback fake of Clinicea's lead API (../shared/vendors.md, "Clinicea"): the `api` header key, zero-based
 * pages of 100 as bare arrays with 204 for an empty page, incremental sync by `lastSyncTimestamp` with
 * `DataStatusStr`, the `0001-01-01T00:00:00` unset-date sentinel, and ASP.NET-style `{ Message }` errors.
 * Lead writes are our addition so that tests and demos can change data through HTTP and see it in a sync.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import {
  CLINICEA_API_KEY_HEADER,
  CLINICEA_FIRST_PAGE_NUMBER,
  CLINICEA_NULL_DATE,
  CLINICEA_PAGE_SIZE,
  CLINICEA_PREFIX,
  CLINICEA_RANGE_PATTERN,
  CLINICEA_TIMESTAMP_PATTERN,
  LEAD_SOURCES,
  LEAD_STATUSES,
  type CliniceaDataStatus,
  type CliniceaErrorBody,
  type CliniceaLead,
  type CliniceaLeadCreateBody,
  type CliniceaLeadUpdateBody,
  type CliniceaLeadWritable,
} from '../../vendors/clinicea/wire.ts';
import {
  SimRouter,
  startSimServer,
  type SimFaults,
  type SimLogEntry,
  type SimRequest,
  type SimResponse,
} from '../http.ts';
import { FIRST_LEAD_ID, cliniceaDate, seedCliniceaLeads } from './seed.ts';

export type CliniceaCredentials = { readonly apiKey: string };

/** The key the simulator accepts unless told otherwise; tests and the demo configure the gateway with it. */
export const CLINICEA_DEMO_CREDENTIALS: CliniceaCredentials = Object.freeze({
  apiKey: 'clinicea-demo-7f3c9a2e5b1d4068',
});

export interface CliniceaSimulatorOptions {
  /** Default 0: a free port. */
  readonly port?: number;
  /** Default CLINICEA_DEMO_CREDENTIALS. */
  readonly credentials?: CliniceaCredentials;
  /** Requests allowed per one-second window for the key. Default 5 (our choice; vendors.md names no number). */
  readonly perSecond?: number;
  /** Status of an injected 5xx fault: 500 or 503, both in the vendor's list. Default 500. */
  readonly serverErrorStatus?: 500 | 503;
  /** PRNG seed for the seeded leads. Default 1. */
  readonly seed?: number;
  /** Seeded leads. Default 345: three full pages of 100 and a short fourth. */
  readonly leadCount?: number;
  /** Records per page. Default CLINICEA_PAGE_SIZE (100). */
  readonly pageSize?: number;
  /** Number of the first page: 0 as documented, 1 as another version of the vendor's help says. Default 0. */
  readonly firstPageNumber?: 0 | 1;
  /**
   * User ids to own seeded leads (the lead passes the Generic OAuth2 API's ids here); about 80% of leads get
   * one. Default: 12 generated `usr_...` ids.
   */
  readonly ownerUserIds?: readonly string[];
  /** Epoch ms for rate-limit windows and the timestamps of writes. Default Date.now. */
  readonly clock?: () => number;
}

/** Knobs read on every request, so changing them changes behaviour at once. */
export interface CliniceaLimits {
  perSecond: number;
  serverErrorStatus: 500 | 503;
}

/** What is left of a deleted lead, for syncs that started before the deletion. */
export interface CliniceaTombstone {
  readonly LeadID: string;
  /** Becomes the tombstone's `ModifiedDatetime` on the wire. */
  readonly DeletedDatetime: string;
  /** Kept so that a sync limited by startRange/endRange still reports the deletion. */
  readonly CreatedDatetime: string;
}

export interface CliniceaChange {
  readonly kind: 'added' | 'modified' | 'deleted';
  readonly LeadID: string;
  readonly at: string;
}

export interface CliniceaStore {
  /** Live leads by LeadID, each with DataStatusStr `None`. Edits made here show up on the next request. */
  readonly leads: Map<string, CliniceaLead>;
  /** Deleted leads by LeadID. */
  readonly tombstones: Map<string, CliniceaTombstone>;
  /** Every write through `create`/`update`/`remove` (HTTP writes included), oldest first. */
  readonly changes: CliniceaChange[];
  /** Validates like `POST leads`; throws CliniceaValidationError. Stamped with the clock. */
  create(body: CliniceaLeadCreateBody): CliniceaLead;
  /**
   * Validates like `PUT leads/{id}`; undefined when there is no such live lead. ModifiedDatetime moves only when
   * a value really changes, so a no-op update does not show up in the next sync.
   */
  update(id: string, patch: CliniceaLeadUpdateBody): CliniceaLead | undefined;
  /** Leaves a tombstone stamped with the clock; false when there is no such live lead. */
  remove(id: string): boolean;
}

export interface CliniceaSimulator {
  /** Origin plus `/api/v1`: what a client configures in place of `https://api.clinicea.com/api/v1`. */
  readonly baseUrl: string;
  readonly credentials: CliniceaCredentials;
  readonly faults: SimFaults;
  readonly log: SimLogEntry[];
  readonly store: CliniceaStore;
  readonly limits: CliniceaLimits;
  readonly paging: { readonly pageSize: number; readonly firstPageNumber: 0 | 1 };
  close(): Promise<void>;
}

export class CliniceaValidationError extends Error {
  override readonly name = 'CliniceaValidationError';
}

const DEFAULTS = Object.freeze({
  port: 0,
  credentials: CLINICEA_DEMO_CREDENTIALS,
  perSecond: 5,
  serverErrorStatus: 500 as 500 | 503,
  seed: 1,
  leadCount: 345,
  pageSize: CLINICEA_PAGE_SIZE,
  firstPageNumber: CLINICEA_FIRST_PAGE_NUMBER as 0 | 1,
  clock: Date.now,
});

const WINDOW_MS = 1000;

export async function startCliniceaSimulator(options: CliniceaSimulatorOptions = {}): Promise<CliniceaSimulator> {
  const config = { ...DEFAULTS, ...definedOnly(options) };
  validateOptions(config);
  const { clock, credentials } = config;

  const limits: CliniceaLimits = { perSecond: config.perSecond, serverErrorStatus: config.serverErrorStatus };
  const store = createStore(
    seedCliniceaLeads({ seed: config.seed, count: config.leadCount, ownerUserIds: options.ownerUserIds }),
    clock,
  );
  const paging = Object.freeze({ pageSize: config.pageSize, firstPageNumber: config.firstPageNumber });

  const expectedKey = digest(credentials.apiKey);
  const rateWindow = { start: -1, count: 0 };

  const router = new SimRouter()
    .on('GET', 'leads', (req) => listLeads(req, store, paging))
    .on('GET', 'leads/:id', (req) => {
      const lead = store.leads.get(req.params.id ?? '');
      return lead ? json(200, { ...lead }) : leadNotFound();
    })
    .on('POST', 'leads', (req) => write(req, (body) => json(200, store.create(validateWrite(body, 'create')))))
    .on('PUT', 'leads/:id', (req) =>
      write(req, (body) => {
        const lead = store.update(req.params.id ?? '', validateWrite(body, 'update'));
        return lead ? json(200, lead) : leadNotFound();
      }),
    )
    .on('DELETE', 'leads/:id', (req) => (store.remove(req.params.id ?? '') ? { status: 204 } : leadNotFound()));

  const tooManyRequests = (): SimResponse => {
    const now = clock();
    const windowEnd = (Math.floor(now / WINDOW_MS) + 1) * WINDOW_MS;
    return json(429, error('Too many requests'), {
      'retry-after': String(Math.max(1, Math.ceil((windowEnd - now) / 1000))),
    });
  };

  const server = await startSimServer({
    prefix: CLINICEA_PREFIX,
    port: config.port,
    router,
    hooks: {
      guard: (req) => {
        const sent = req.headers[CLINICEA_API_KEY_HEADER];
        if (typeof sent !== 'string' || !timingSafeEqual(digest(sent), expectedKey)) {
          return json(401, error('Authorization has been denied for this request.'));
        }
        // A fixed window per key: vendors.md lists 429 but no algorithm or headers (our choice).
        const start = Math.floor(clock() / WINDOW_MS) * WINDOW_MS;
        if (start !== rateWindow.start) Object.assign(rateWindow, { start, count: 0 });
        rateWindow.count += 1;
        return rateWindow.count > limits.perSecond ? tooManyRequests() : undefined;
      },
      rateLimited: tooManyRequests,
      serverError: () =>
        limits.serverErrorStatus === 503
          ? json(503, error('The service is unavailable.'))
          : json(500, error('An error has occurred.')),
      notFound: () => json(404, error('No HTTP resource was found that matches the request URI.')),
    },
  });

  return {
    baseUrl: server.baseUrl,
    credentials,
    faults: server.faults,
    log: server.log,
    store,
    limits,
    paging,
    close: () => server.close(),
  };
}

// ---------------------------------------------------------------------------------------------- lists

interface ListQuery {
  readonly from?: string;
  readonly to?: string;
  readonly pageIndex: number;
  readonly since?: string;
}

function listLeads(
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

  if (since !== null && !isTimestamp(since)) {
    return `lastSyncTimestamp must be written YYYY-MM-DDTHH:mm:ss, without milliseconds or a zone, got '${since}'.`;
  }
  return { from, to, pageIndex, since: since ?? undefined };
}

/** `yyyymmdd` -> `YYYY-MM-DD`, or null when it is not a real calendar date. */
function rangeDay(value: string): string | null {
  if (!CLINICEA_RANGE_PATTERN.test(value)) return null;
  const day = `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`;
  return isRealDate(`${day}T00:00:00`) ? day : null;
}

function isTimestamp(value: string): boolean {
  return CLINICEA_TIMESTAMP_PATTERN.test(value) && isRealDate(value);
}

/** Date.parse rolls 2026-02-30 over to March; a round trip catches it. */
function isRealDate(timestamp: string): boolean {
  const ms = Date.parse(`${timestamp}Z`);
  return !Number.isNaN(ms) && cliniceaDate(ms) === timestamp;
}

// ---------------------------------------------------------------------------------------------- writes

const WRITABLE: ReadonlyArray<keyof CliniceaLeadWritable> = [
  'FirstName', 'LastName', 'Email', 'Mobile', 'Source', 'Status', 'Notes', 'OwnerUserID',
];
const SERVER_FIELDS = new Set(['LeadID', 'CreatedDatetime', 'ModifiedDatetime', 'DataStatusStr']);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9][0-9 ()-]{5,19}$/;

function write(req: SimRequest, handle: (body: unknown) => SimResponse): SimResponse {
  let body: unknown;
  try {
    body = JSON.parse(req.rawBody.toString('utf8'));
  } catch {
    return json(400, error('The request body must be a JSON object.'));
  }
  try {
    return handle(body);
  } catch (caught) {
    if (caught instanceof CliniceaValidationError) return json(400, error(caught.message));
    throw caught;
  }
}

/** Checks a create or update body field by field; the first problem becomes the 400's Message. */
function validateWrite(body: unknown, mode: 'create'): CliniceaLeadCreateBody;
function validateWrite(body: unknown, mode: 'update'): CliniceaLeadUpdateBody;
function validateWrite(body: unknown, mode: 'create' | 'update'): CliniceaLeadUpdateBody {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new CliniceaValidationError('The request body must be a JSON object.');
  }
  const input = body as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (SERVER_FIELDS.has(key)) throw new CliniceaValidationError(`${key} is set by the server and cannot be written.`);
    if (!(WRITABLE as readonly string[]).includes(key)) throw new CliniceaValidationError(`Unknown field '${key}'.`);
  }
  const text = (key: keyof CliniceaLeadWritable, nullable: boolean, pattern?: RegExp, what?: string) => {
    if (!(key in input)) return;
    const value = input[key];
    if (value === null && nullable) return null;
    if (typeof value !== 'string' || value.trim() === '') {
      throw new CliniceaValidationError(`${key} must be a non-empty string${nullable ? ' or null' : ''}.`);
    }
    if (pattern && !pattern.test(value)) throw new CliniceaValidationError(`${key} is not ${what}: '${value}'.`);
    return value;
  };
  const oneOf = <T extends string>(key: 'Source' | 'Status', allowed: readonly T[], nullable: boolean) => {
    if (!(key in input)) return;
    const value = input[key];
    if (value === null && nullable) return null;
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      throw new CliniceaValidationError(`${key} must be one of ${allowed.join(', ')}${nullable ? ' or null' : ''}.`);
    }
    return value as T;
  };

  if (mode === 'create' && !('FirstName' in input)) throw new CliniceaValidationError('FirstName is required.');
  const fields: Partial<CliniceaLeadWritable> = {
    FirstName: text('FirstName', false),
    LastName: text('LastName', true),
    Email: text('Email', true, EMAIL, 'a valid email address'),
    Mobile: text('Mobile', true, PHONE, 'a valid phone number'),
    Source: oneOf('Source', LEAD_SOURCES, true),
    Status: oneOf('Status', LEAD_STATUSES, false),
    Notes: text('Notes', true),
    OwnerUserID: text('OwnerUserID', true),
  };
  return definedOnly(fields);
}

function createStore(seeded: CliniceaLead[], clock: () => number): CliniceaStore {
  const leads = new Map(seeded.map((lead) => [lead.LeadID, lead]));
  const tombstones = new Map<string, CliniceaTombstone>();
  const changes: CliniceaChange[] = [];
  // Ids are never reused, even after a delete, so a tombstone can never shadow a newer lead.
  const nextId = () => {
    const ids = [...leads.keys(), ...tombstones.keys()].map(Number);
    return String(Math.max(FIRST_LEAD_ID - 1, ...ids) + 1);
  };

  return {
    leads,
    tombstones,
    changes,
    create(body) {
      const fields = validateWrite(body, 'create');
      const at = cliniceaDate(clock());
      const lead: CliniceaLead = {
        LeadID: nextId(),
        FirstName: fields.FirstName,
        LastName: fields.LastName ?? null,
        Email: fields.Email ?? null,
        Mobile: fields.Mobile ?? null,
        Source: fields.Source ?? null,
        Status: fields.Status ?? 'New',
        Notes: fields.Notes ?? null,
        OwnerUserID: fields.OwnerUserID ?? null,
        CreatedDatetime: at,
        ModifiedDatetime: at,
        DataStatusStr: 'None',
      };
      leads.set(lead.LeadID, lead);
      changes.push({ kind: 'added', LeadID: lead.LeadID, at });
      return { ...lead };
    },
    update(id, patch) {
      const fields = validateWrite(patch, 'update');
      const lead = leads.get(id);
      if (!lead) return undefined;
      const changed = WRITABLE.some((key) => key in fields && fields[key] !== lead[key]);
      if (changed) {
        const at = cliniceaDate(clock());
        Object.assign(lead, fields, { ModifiedDatetime: at });
        changes.push({ kind: 'modified', LeadID: id, at });
      }
      return { ...lead };
    },
    remove(id) {
      const lead = leads.get(id);
      if (!lead) return false;
      const at = cliniceaDate(clock());
      leads.delete(id);
      tombstones.set(id, { LeadID: id, DeletedDatetime: at, CreatedDatetime: lead.CreatedDatetime });
      changes.push({ kind: 'deleted', LeadID: id, at });
      return true;
    },
  };
}

// ---------------------------------------------------------------------------------------------- helpers

function json(status: number, body: unknown, headers: Record<string, string> = {}): SimResponse {
  // ASP.NET Web API names the charset; a client that checks the media type must not trip over it.
  return { status, body, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } };
}

function error(Message: string): CliniceaErrorBody {
  return { Message };
}

function leadNotFound(): SimResponse {
  return json(404, error('Lead not found'));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Hashing first gives equal-length buffers, which timingSafeEqual needs, whatever the caller sent. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function validateOptions(config: {
  port: number;
  credentials: CliniceaCredentials;
  perSecond: number;
  serverErrorStatus: number;
  seed: number;
  leadCount: number;
  pageSize: number;
  firstPageNumber: number;
}): void {
  const problems: string[] = [];
  const wholeAtLeast = (name: string, value: number, min: number) => {
    if (!Number.isInteger(value) || value < min) {
      problems.push(`expected ${name} to be a whole number >= ${min}, got ${value}`);
    }
  };
  wholeAtLeast('port', config.port, 0);
  wholeAtLeast('perSecond', config.perSecond, 1);
  wholeAtLeast('leadCount', config.leadCount, 0);
  wholeAtLeast('pageSize', config.pageSize, 1);
  if (!Number.isFinite(config.seed)) problems.push(`expected seed to be a number, got ${config.seed}`);
  if (config.firstPageNumber !== 0 && config.firstPageNumber !== 1) {
    problems.push(`expected firstPageNumber to be 0 or 1, got ${config.firstPageNumber}`);
  }
  if (config.serverErrorStatus !== 500 && config.serverErrorStatus !== 503) {
    problems.push(`expected serverErrorStatus to be 500 or 503, got ${config.serverErrorStatus}`);
  }
  if (typeof config.credentials.apiKey !== 'string' || config.credentials.apiKey === '') {
    problems.push('expected credentials.apiKey to be a non-empty string, got nothing');
  }
  if (problems.length > 0) throw new Error(`Clinicea simulator options: ${problems.join('; ')}`);
}
