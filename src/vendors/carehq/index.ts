/**
 * The CareHQ data source: care enquiries and users, over the shared upstream core. Everything CareHQ-specific
 * (signing, paging, error shape) is filled in through the core's adapter hooks.
 */
import type { Enquiry, EnquiryFilter, NewEnquiry } from '../../domain/enquiry.ts';
import type { PagedSource } from '../../domain/paging.ts';
import type { User } from '../../domain/user.ts';
import type { VendorAdapter } from '../../upstream/adapter.ts';
import type { CallContext, UpstreamClient, UpstreamCore } from '../../upstream/client.ts';
import type { Clock } from '../../upstream/clock.ts';
import { pathSegment } from '../../upstream/path-segment.ts';
import { mappedOnce } from '../mapped-once.ts';
import { signRequest, type CareHqCredentials } from './auth.ts';
import { CareHqByIds } from './by-ids.ts';
import { CAREHQ_OBJECT_ID } from './ids.ts';
import { fromFundingType, toEnquiry, toEnquiryForm, toUser } from './mapping.ts';
import { CAREHQ_MAX_PER_PAGE, pageParams, toNativePage } from './pagination.ts';
import { classifyError, readRateSignal } from './responses.ts';
import { CAREHQ_PREFIX, type CareHqEnquiry, type CareHqListQuery, type CareHqPage, type CareHqUser } from './wire.ts';
import { createHash } from 'node:crypto';

export interface CareHqOptions {
  /** e.g. `https://api.carehq.co.uk/v1/`; `/v1` is added when missing, as the SDKs take the bare origin. */
  readonly baseUrl: string;
  readonly credentials: CareHqCredentials;
  /** Documented limit per API key, used until responses say otherwise. Default 10 per second. */
  readonly requestsPerSecond?: number;
  /** How long list pages and users are reused across requests, ms. Default 5000; writes clear it. */
  readonly cacheTtlMs?: number;
  /** Most ids asked for in one users call. Default 100 (CareHQ's largest page). */
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
    rateSpec: { kind: 'window', limit: options.requestsPerSecond ?? 10, windowMs: 1000 },
    authorize: (request) => signRequest(request, credentials, clock.now()),
    readRateSignal,
    classifyError,
  };
}

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
  ) {
    this.cacheTtlMs = options.cacheTtlMs ?? 5000;
    this.userBatchSize = options.userBatchSize ?? CAREHQ_MAX_PER_PAGE;
    this.enquiriesById = new CareHqByIds(CAREHQ_MAX_PER_PAGE);
    this.usersById = new CareHqByIds(this.userBatchSize);
  }

  static create(core: UpstreamCore, options: CareHqOptions): CareHqSource {
    return new CareHqSource(core.client(careHqAdapter(options, core.clock)), options);
  }

  get upstream(): UpstreamClient {
    return this.client;
  }

  enquiries(filter: EnquiryFilter, call: CallContext): PagedSource<Enquiry> {
    const query: CareHqListQuery = {
      sort_by: '_id',
      'filters-q': filter.search,
      'filters-funding_type': filter.fundingType ? fromFundingType(filter.fundingType) : undefined,
      'filters-assigned_to': filter.assigneeId,
    };
    return {
      pageSize: CAREHQ_MAX_PER_PAGE,
      page: async (index) => {
        const page = await this.client.request<CareHqPage<CareHqEnquiry>>(
          { method: 'GET', path: 'care-enquiries', query: { ...query, ...pageParams(index) }, cacheTtlMs: this.cacheTtlMs, operation: 'listEnquiries' },
          call,
        );
        return toNativePage(page, enquiryOf);
      },
    };
  }

  async enquiry(id: string, call: CallContext): Promise<Enquiry | null> {
    const record = await this.enquiryRecord(id, call);
    return record ? toEnquiry(record) : null;
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
   * Users by id, in key order, null for unknown ids: one `filters-ids` list call per batch, the batches of a
   * long list sent together (see by-ids.ts).
   */
  async usersByIds(ids: readonly string[], call: CallContext): Promise<Array<User | null | Error>> {
    const found = await this.usersById.load(ids, {
      list: (chunk) => this.listByIds<CareHqUser>('users', 'getUsers', chunk, call),
      one: (id) => this.userRecord(id, call),
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
    return record ? toUser(record) : null;
  }

  private async userRecord(id: string, call: CallContext): Promise<CareHqUser | null> {
    if (!CAREHQ_OBJECT_ID.test(id)) return null;
    return this.client.requestOrNull<CareHqUser>(
      { method: 'GET', path: `users/${pathSegment(id)}`, cacheTtlMs: this.cacheTtlMs, operation: 'getUser' },
      call,
    );
  }

  users(call: CallContext): PagedSource<User> {
    return {
      pageSize: CAREHQ_MAX_PER_PAGE,
      page: async (index) => {
        const page = await this.client.request<CareHqPage<CareHqUser>>(
          { method: 'GET', path: 'users', query: { sort_by: '_id', ...pageParams(index) }, cacheTtlMs: this.cacheTtlMs, operation: 'listUsers' },
          call,
        );
        return toNativePage(page, userOf);
      },
    };
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
}

function mapLoaded<W extends { _id: string }, T>(found: ReadonlyArray<W | null | Error>, map: (record: W) => T): Array<T | null | Error> {
  return found.map((item) => (item === null ? null : item instanceof Error ? item : map(item as W)));
}
