/**
 * The CareHQ data source: care enquiries and users, over the shared upstream core. Everything CareHQ-specific
 * (signing, paging, error shape) is filled in through the core's adapter hooks.
 */
import type { Enquiry, EnquiryChanges, EnquiryFilter, EnquiryOrder, NewEnquiry } from '../../domain/enquiry.ts';
import type { PagedSource } from '../../domain/paging.ts';
import type { User } from '../../domain/user.ts';
import { REQUEST_ID_HEADER, type VendorAdapter } from '../../upstream/adapter.ts';
import type { CallContext, UpstreamClient, UpstreamCore } from '../../upstream/client.ts';
import type { Clock } from '../../upstream/clock.ts';
import { UpstreamError } from '../../upstream/errors.ts';
import { Capabilities, refusedExtension, unsupportedExtension } from '../../upstream/capabilities.ts';
import { findByIds } from '../../upstream/id-scan.ts';
import { pathSegment } from '../../upstream/path-segment.ts';
import { mappedOnce } from '../mapped-once.ts';
import { signRequest, type CareHqCredentials } from './auth.ts';
import { CareHqByIds, type FilterMemory } from './by-ids.ts';
import { CAREHQ_OBJECT_ID } from './ids.ts';
import { toEnquiry, toEnquiryForm, toEnquiryListQuery, toEnquiryPatchForm, toUser } from './mapping.ts';
import { CAREHQ_MAX_PER_PAGE, pageParams, toNativePage } from './pagination.ts';
import { classifyError, readRateSignal } from './responses.ts';
import { CAREHQ_PREFIX, type CareHqEnquiry, type CareHqPage, type CareHqUser } from './wire.ts';
import { createHash } from 'node:crypto';

export interface CareHqOptions {
  /** e.g. `https://api.carehq.co.uk/v1/`; `/v1` is added when missing, as the SDKs take the bare origin. */
  readonly baseUrl: string;
  readonly credentials: CareHqCredentials;
  /** Documented limit per API key, used until responses say otherwise. Default 10 per second. */
  readonly requestsPerSecond?: number;
  /** How long list pages and users are reused across requests, ms. Default 5000; writes clear it. */
  readonly cacheTtlMs?: number;
  /** Most ids asked for in one users call, from 1 to 100. Default 100 (CareHQ's largest page). */
  readonly userBatchSize?: number;
}

export function normalizeBaseUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  const path = url.pathname.replace(/\/+$/, '');
  url.pathname = path.endsWith(CAREHQ_PREFIX) ? `${path}/` : `${path}${CAREHQ_PREFIX}/`;
  return url.toString();
}

export function careHqAdapter(options: CareHqOptions, clock: Clock): VendorAdapter {
  const { credentials } = options;
  // The budget is per API key; a hash names it without putting the key itself in logs or Redis keys.
  const keyId = createHash('sha256').update(`${credentials.accountId}:${credentials.apiKey}`).digest('hex').slice(0, 12);
  return {
    vendor: 'carehq',
    baseUrl: normalizeBaseUrl(options.baseUrl),
    budgetKey: `carehq:${keyId}`,
    correlationHeader: REQUEST_ID_HEADER,
    rateSpec: { kind: 'window', limit: options.requestsPerSecond ?? 10, windowMs: 1000 },
    authorize: (request) => signRequest(request, credentials, clock.now()),
    readRateSignal,
    classifyError,
  };
}

/** Our extensions of CareHQ's API (not in its docs), as the capability memory names them. */
export const CAREHQ_EXTENSIONS = Object.freeze({
  idsFilter: 'users?filters-ids',
  enquiryIdsFilter: 'care-enquiries?filters-ids',
  createdRange: 'care-enquiries?filters-created_from/to',
  anyAssignee: 'care-enquiries?filters-assigned_to (repeated)',
});

/** Cached records are mapped once, not on every hit (../mapped-once.ts). */
const enquiryOf = mappedOnce(toEnquiry);
const userOf = mappedOnce(toUser);

export class CareHqSource {
  readonly userBatchSize: number;
  private readonly cacheTtlMs: number;
  private readonly enquiriesById: CareHqByIds<CareHqEnquiry>;
  private readonly usersById: CareHqByIds<CareHqUser>;

  constructor(
    private readonly client: UpstreamClient,
    options: Pick<CareHqOptions, 'cacheTtlMs' | 'userBatchSize'> = {},
    /** What this CareHQ supports of our extensions (CAREHQ_EXTENSIONS). Default: a memory of its own. */
    private readonly capabilities: Capabilities = new Capabilities(),
  ) {
    this.cacheTtlMs = options.cacheTtlMs ?? 5000;
    this.userBatchSize = options.userBatchSize ?? CAREHQ_MAX_PER_PAGE;
    this.enquiriesById = new CareHqByIds(CAREHQ_MAX_PER_PAGE, this.filterMemory(CAREHQ_EXTENSIONS.enquiryIdsFilter));
    this.usersById = new CareHqByIds(this.userBatchSize, this.filterMemory(CAREHQ_EXTENSIONS.idsFilter));
  }

  private filterMemory(extension: string): FilterMemory {
    return {
      support: () => this.capabilities.support('carehq', extension),
      remember: (support) => this.capabilities.remember('carehq', extension, support),
    };
  }

  static create(core: UpstreamCore, options: CareHqOptions): CareHqSource {
    return new CareHqSource(core.client(careHqAdapter(options, core.clock)), options, core.capabilities);
  }

  get upstream(): UpstreamClient {
    return this.client;
  }

  /** Enquiries matching `filter`, in `order` (default: by `_id`, the creation order); CareHQ filters and sorts. */
  /**
   * The created-at range is our extension (`filters-created_from`/`_to`) with no documented equivalent short of
   * reading every page, so a CareHQ that ignores it gets VENDOR_UNSUPPORTED, never an unfiltered list: each page
   * is checked against the range, and one record outside it marks the extension unsupported (remembered, so
   * later requests are refused without a call).
   */
  enquiries(filter: EnquiryFilter, call: CallContext, order?: EnquiryOrder): PagedSource<Enquiry> {
    const query = toEnquiryListQuery(filter, order);
    const ranged = filter.createdFrom !== undefined || filter.createdTo !== undefined;
    const list = (perPage: number): PagedSource<Enquiry> => ({
      pageSize: perPage,
      ...this.windowSizes(list),
      page: async (index) => {
        if (ranged && (await this.capabilities.support('carehq', CAREHQ_EXTENSIONS.createdRange)) === 'unsupported') throw noCreatedRange();
        const page = await this.client.request<CareHqPage<CareHqEnquiry>>(
          { method: 'GET', path: 'care-enquiries', query: { ...query, ...pageParams(index, perPage) }, cacheTtlMs: this.cacheTtlMs, operation: 'listEnquiries' },
          call,
        );
        const enquiries = toNativePage(page, enquiryOf);
        if (ranged && enquiries.items.length > 0) {
          const inRange = enquiries.items.every((e) => withinRange(e.createdAt, filter.createdFrom, filter.createdTo));
          await this.capabilities.remember('carehq', CAREHQ_EXTENSIONS.createdRange, inRange ? 'supported' : 'unsupported');
          if (!inRange) {
            // The cached page is the unfiltered list under a filtered key: it must not answer anyone else.
            await this.client.invalidate();
            throw noCreatedRange();
          }
        }
        return enquiries;
      },
    });
    return list(CAREHQ_MAX_PER_PAGE);
  }

  /**
   * `per_page` is free from 1 to 100 and every page carries `total_items`, so with the cache off a connection
   * may read its window as one page of its own size (PagedSource.withPageSize); with the cache on, full pages
   * of 100 serve the next windows too.
   */
  private windowSizes<T>(list: (perPage: number) => PagedSource<T>): Pick<PagedSource<T>, 'withPageSize'> {
    return this.cacheTtlMs > 0 ? {} : { withPageSize: list };
  }

  /**
   * The enquiries of several assignees in one call (`filters-assigned_to` repeated, which we read as ORed like
   * any repeated filter value; the docs do not say), each assignee's in `order`. Undefined when together they
   * pass one page of 100, or when this CareHQ refused the repeated filter (400) or ignored it (enquiries of users
   * nobody asked for): the caller then lists each assignee on its own with the documented single value. A
   * refusal or an ignored filter is remembered, so later batches skip the try.
   */
  async enquiriesByAssignees(
    assigneeIds: readonly string[],
    order: EnquiryOrder | undefined,
    call: CallContext,
  ): Promise<Map<string, Enquiry[]> | undefined> {
    const extension = CAREHQ_EXTENSIONS.anyAssignee;
    if ((await this.capabilities.support('carehq', extension)) === 'unsupported') return undefined;
    let page: CareHqPage<CareHqEnquiry>;
    try {
      page = await this.client.request<CareHqPage<CareHqEnquiry>>(
        {
          method: 'GET',
          path: 'care-enquiries',
          query: { ...toEnquiryListQuery({}, order), 'filters-assigned_to': [...assigneeIds], ...pageParams(0) },
          cacheTtlMs: this.cacheTtlMs,
          operation: 'listEnquiriesByAssignees',
        },
        call,
      );
    } catch (error) {
      if (!refusedExtension(error)) throw error;
      await this.capabilities.remember('carehq', extension, 'unsupported');
      return undefined;
    }
    const asked = new Set(assigneeIds);
    // Checked before the total, which an ignored filter also inflates: records of users nobody asked for show it.
    if (page.items.some((record) => record.assigned_to === null || !asked.has(record.assigned_to))) {
      await this.capabilities.remember('carehq', extension, 'unsupported');
      await this.client.invalidate();
      return undefined;
    }
    // Records of two users at once show the values were ORed; one user's alone would not tell.
    if (new Set(page.items.map((record) => record.assigned_to)).size > 1) await this.capabilities.remember('carehq', extension, 'supported');
    if (page.total_items > page.items.length) return undefined;
    const byAssignee = new Map<string, Enquiry[]>(assigneeIds.map((id) => [id, []]));
    for (const record of page.items) if (record.assigned_to) byAssignee.get(record.assigned_to)?.push(enquiryOf(record));
    return byAssignee;
  }

  async enquiry(id: string, call: CallContext): Promise<Enquiry | null> {
    const record = await this.enquiryRecord(id, call);
    return record ? enquiryOf(record) : null;
  }

  private async enquiryRecord(id: string, call: CallContext): Promise<CareHqEnquiry | null> {
    // No CareHQ record has such an id, so there is nothing to ask (and no URL to build from it).
    if (!CAREHQ_OBJECT_ID.test(id)) return null;
    return this.client.requestOrNull<CareHqEnquiry>(
      { method: 'GET', path: `care-enquiries/${pathSegment(id)}`, cacheTtlMs: this.cacheTtlMs, operation: 'getEnquiry' },
      call,
    );
  }

  /** Many enquiries by id, in key order: one `filters-ids` list call per 100 ids (see by-ids.ts). */
  async enquiriesByIds(ids: readonly string[], call: CallContext): Promise<Array<Enquiry | null | Error>> {
    const found = await this.enquiriesById.load(ids, {
      list: (chunk) => this.listByIds<CareHqEnquiry>('care-enquiries', 'getEnquiries', chunk, call),
      one: (id) => this.enquiryRecord(id, call),
    });
    return mapLoaded(found, enquiryOf);
  }

  /**
   * Many users by id, in key order: one `filters-ids` list call per `userBatchSize` ids (see by-ids.ts). Where
   * the filter is unsupported, several users left are looked up the cheaper documented way: the list's first
   * page, then a GET each or the rest of the walk, whichever costs fewer calls (findByIds).
   */
  async usersByIds(ids: readonly string[], call: CallContext): Promise<Array<User | null | Error>> {
    const found = await this.usersById.load(ids, {
      list: (chunk) => this.listByIds<CareHqUser>('users', 'getUsers', chunk, call),
      one: (id) => this.userRecord(id, call),
      many: (rest) => findByIds(this.userRecords(call), rest, (record) => record._id, (id) => this.userRecord(id, call), { vendor: 'carehq' }),
    });
    return mapLoaded(found, userOf);
  }

  private listByIds<W>(path: string, operation: string, ids: readonly string[], call: CallContext): Promise<CareHqPage<W>> {
    return this.client.request<CareHqPage<W>>(
      { method: 'GET', path, query: { 'filters-ids': [...ids], per_page: CAREHQ_MAX_PER_PAGE, page: 1 }, cacheTtlMs: this.cacheTtlMs, operation },
      call,
    );
  }

  async user(id: string, call: CallContext): Promise<User | null> {
    const record = await this.userRecord(id, call);
    return record ? userOf(record) : null;
  }

  private async userRecord(id: string, call: CallContext): Promise<CareHqUser | null> {
    if (!CAREHQ_OBJECT_ID.test(id)) return null;
    return this.client.requestOrNull<CareHqUser>(
      { method: 'GET', path: `users/${pathSegment(id)}`, cacheTtlMs: this.cacheTtlMs, operation: 'getUser' },
      call,
    );
  }

  users(call: CallContext): PagedSource<User> {
    return { pageSize: CAREHQ_MAX_PER_PAGE, page: async (index) => toNativePage(await this.userPage(index, call), userOf) };
  }

  /** The users list as CareHQ sends it: a lookup by id walking it maps only the records it keeps. */
  private userRecords(call: CallContext): PagedSource<CareHqUser> {
    return {
      pageSize: CAREHQ_MAX_PER_PAGE,
      page: async (index) => {
        const page = await this.userPage(index, call);
        return { items: page.items, total: page.total_items };
      },
    };
  }

  private userPage(index: number, call: CallContext): Promise<CareHqPage<CareHqUser>> {
    return this.client.request<CareHqPage<CareHqUser>>(
      { method: 'GET', path: 'users', query: { sort_by: '_id', ...pageParams(index) }, cacheTtlMs: this.cacheTtlMs, operation: 'listUsers' },
      call,
    );
  }

  /** `PUT care-enquiries` creates: not idempotent, so it is retried only after a 429, never after a 5xx. */
  async createEnquiry(input: NewEnquiry, call: CallContext): Promise<Enquiry> {
    const record = await this.client.request<CareHqEnquiry>(
      { method: 'PUT', path: 'care-enquiries', form: toEnquiryForm(input), idempotent: false, operation: 'createEnquiry' },
      call,
    );
    await this.client.invalidate();
    return toEnquiry(record);
  }

  /**
   * `PATCH care-enquiries/{id}`: the changed fields only. Not marked idempotent, so it is retried after a 429 and
   * never after it may have landed. Lists and lookups are cleared whether or not it succeeded, since a call that
   * failed on the way back may still have changed the record. A 404 is a not_found UpstreamError.
   */
  async updateEnquiry(id: string, changes: EnquiryChanges, call: CallContext): Promise<Enquiry> {
    try {
      const record = await this.client.request<CareHqEnquiry>(
        { method: 'PATCH', path: this.enquiryPath(id), form: toEnquiryPatchForm(changes), idempotent: false, operation: 'updateEnquiry' },
        call,
      );
      return toEnquiry(record);
    } finally {
      await this.client.invalidate();
    }
  }

  /** `DELETE care-enquiries/{id}`, sent at most once like the other writes; a 404 is a not_found UpstreamError. */
  async deleteEnquiry(id: string, call: CallContext): Promise<void> {
    try {
      await this.client.request<unknown>({ method: 'DELETE', path: this.enquiryPath(id), idempotent: false, operation: 'deleteEnquiry' }, call);
    } finally {
      await this.client.invalidate();
    }
  }

  /** Callers pass ids checked against CAREHQ_OBJECT_ID (global-id.ts); checked again so no other path is built. */
  private enquiryPath(id: string): string {
    if (!CAREHQ_OBJECT_ID.test(id)) throw notAnId('id', 'not a CareHQ id');
    return `care-enquiries/${pathSegment(id)}`;
  }
}

function withinRange(at: Date, from: Date | undefined, to: Date | undefined): boolean {
  return (from === undefined || at >= from) && (to === undefined || at <= to);
}

function noCreatedRange(): UpstreamError {
  return unsupportedExtension(
    'carehq',
    CAREHQ_EXTENSIONS.createdRange,
    'this CareHQ does not filter care enquiries by created date (filters-created_from/to); drop createdFrom/createdTo',
  );
}

/** Refused before any call (final: retrying cannot help); the caller's input, not the vendor, is at fault. */
function notAnId(field: string, message: string): UpstreamError {
  return new UpstreamError('carehq', { kind: 'bad_request', fieldErrors: { [field]: [message] }, vendorCode: undefined }, message, undefined, true);
}

function mapLoaded<W extends { _id: string }, T>(found: ReadonlyArray<W | null | Error>, map: (record: W) => T): Array<T | null | Error> {
  return found.map((item) => (item === null ? null : item instanceof Error ? item : map(item as W)));
}
