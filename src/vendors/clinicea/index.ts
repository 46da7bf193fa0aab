/**
 * The Clinicea data source: leads, over the shared upstream core. Everything Clinicea-specific (the `api`
 * header key or a login token, zero- or one-based pages without totals, incremental sync, the `{Message}` error shape) is
 * filled in through the core's adapter hooks and the files beside this one.
 */
import type { Lead, LeadChanges, LeadQuery, NewLead } from '../../domain/lead.ts';
import type { NativePage, PagedSource } from '../../domain/paging.ts';
import { REQUEST_ID_HEADER, type VendorAdapter } from '../../upstream/adapter.ts';
import type { CallContext, UpstreamClient, UpstreamCore } from '../../upstream/client.ts';
import { UpstreamError, isProblem } from '../../upstream/errors.ts';
import type { Clock } from '../../upstream/clock.ts';
import { Capabilities } from '../../upstream/capabilities.ts';
import { scanForIds } from '../../upstream/id-scan.ts';
import { countByProbing, pageOnce } from '../../upstream/paging.ts';
import { pathSegment } from '../../upstream/path-segment.ts';
import type { TokenStore } from '../../upstream/token-store.ts';
import type { UpstreamRequest } from '../../upstream/request.ts';
import type { FetchLike } from '../../upstream/transport.ts';
import { CliniceaTokenAuth, keyId, withApiKey, type CliniceaAuth, type CliniceaCredentials } from './auth.ts';
import { CLINICEA_LEAD_ID } from './ids.ts';
import { leadFieldOfMessage, toLead, toLeadBody, toLeadListQuery } from './mapping.ts';
import { CLINICEA_PAGE_SIZE, pageNumber, toNativePage } from './pagination.ts';
import { mappedOnce } from '../mapped-once.ts';
import { RateLearner, classifyError, invalidQuery } from './responses.ts';
import { CLINICEA_FIRST_PAGE_NUMBER, CLINICEA_PREFIX, type CliniceaLead, type CliniceaLeadListQuery } from './wire.ts';

/** Cached records are mapped once, not on every hit (../mapped-once.ts). */
const leadOf = mappedOnce(toLead);

export type { CliniceaAuth, CliniceaCredentials };

export interface CliniceaOptions {
  /** e.g. `https://api.clinicea.com/api/v1/`; a bare origin gets `/api/v1/` added. */
  readonly baseUrl: string;
  /** Sent in the `api` header of every call, or to the token login; never logged. */
  readonly credentials: CliniceaCredentials;
  /**
   * `{ kind: 'header' }`: the key in the `api` header of every call, as documented. `{ kind: 'token', username,
   * password }`: log in with the key for an hour-long token and send that as `api_key` (see wire.ts), for API
   * versions that want it. Default `{ kind: 'header' }`.
   */
  readonly auth?: CliniceaAuth;
  /**
   * The documented (or agreed) limit per key, per second. Clinicea sends no rate-limit headers, so this is
   * the budget until a 429 says otherwise: then calls pause for its Retry-After and the rate drops to what
   * the vendor accepted, creeping back up to this once 429s stop. Default 5.
   */
  readonly requestsPerSecond?: number;
  /** Number of the first page: 0 as documented, 1 as another version of the vendor's help says. Default 0. */
  readonly firstPageNumber?: 0 | 1;
  /** How long list pages, single leads and counts are reused across requests, ms. Default 5000. */
  readonly cacheTtlMs?: number;
  /** Counts remembered at once; filters come from clients, so past this the oldest is forgotten. Default 1000. */
  readonly maxRememberedCounts?: number;
}

const DEFAULTS = Object.freeze({
  auth: Object.freeze({ kind: 'header' }) as CliniceaAuth,
  requestsPerSecond: 5,
  firstPageNumber: CLINICEA_FIRST_PAGE_NUMBER as 0 | 1,
  cacheTtlMs: 5000,
  maxRememberedCounts: 1000,
});

type Settings = Readonly<Required<CliniceaOptions>>;

/** Validates once and merges the defaults; messages never repeat the key or the password. */
export function cliniceaSettings(options: CliniceaOptions): Settings {
  const problems: string[] = [];
  const baseUrl = normalizeBaseUrl(options.baseUrl, problems);
  const apiKey: unknown = options.credentials?.apiKey;
  if (typeof apiKey !== 'string' || apiKey.trim() === '') {
    problems.push(`expected credentials.apiKey to be a non-empty string, got ${typeof apiKey === 'string' ? 'an empty string' : 'nothing'}`);
  }
  const merged = { ...DEFAULTS, ...definedOnly(options) };
  if (!Number.isFinite(merged.requestsPerSecond) || merged.requestsPerSecond <= 0) {
    problems.push(`expected requestsPerSecond to be a number > 0, got ${String(merged.requestsPerSecond)}`);
  }
  if (merged.firstPageNumber !== 0 && merged.firstPageNumber !== 1) {
    problems.push(`expected firstPageNumber to be 0 or 1, got ${String(merged.firstPageNumber)}`);
  }
  if (!Number.isFinite(merged.cacheTtlMs) || merged.cacheTtlMs < 0) {
    problems.push(`expected cacheTtlMs to be a number >= 0, got ${String(merged.cacheTtlMs)}`);
  }
  if (!Number.isInteger(merged.maxRememberedCounts) || merged.maxRememberedCounts < 1) {
    problems.push(`expected maxRememberedCounts to be a whole number >= 1, got ${String(merged.maxRememberedCounts)}`);
  }
  const auth = checkAuth(merged.auth, problems);
  if (problems.length > 0) throw new Error(`Clinicea options: ${problems.join('; ')}`);
  return Object.freeze({ ...merged, auth, baseUrl, credentials: Object.freeze({ apiKey: apiKey as string }) });
}

function checkAuth(auth: CliniceaAuth, problems: string[]): CliniceaAuth {
  const kind: unknown = auth.kind;
  if (kind === 'header') return DEFAULTS.auth;
  if (kind !== 'token') {
    problems.push(`expected auth.kind to be 'header' or 'token', got ${JSON.stringify(kind) ?? 'nothing'}`);
    return auth;
  }
  const { username, password } = auth as Partial<Record<'username' | 'password', unknown>>;
  for (const [name, value] of [['username', username], ['password', password]] as const) {
    if (typeof value !== 'string' || value.trim() === '') {
      problems.push(`expected auth.${name} to be a non-empty string for token login, got ${typeof value === 'string' ? 'an empty string' : 'nothing'}`);
    }
  }
  return Object.freeze({ kind, username: String(username), password: String(password) });
}

function normalizeBaseUrl(baseUrl: unknown, problems: string[]): string {
  let url: URL;
  try {
    url = new URL(String(baseUrl));
  } catch {
    problems.push(`expected baseUrl to be an absolute URL, got ${JSON.stringify(baseUrl) ?? 'nothing'}`);
    return '';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    problems.push(`expected baseUrl to be an http(s) URL, got ${url.protocol}`);
  }
  const path = url.pathname.replace(/\/+$/, '');
  url.pathname = `${path === '' ? CLINICEA_PREFIX : path}/`;
  url.search = '';
  url.hash = '';
  return url.toString();
}

/**
 * The core's hooks for Clinicea. `fetch` is the core's (token login only; default the global fetch), so that
 * whatever intercepts API calls sees the login too; `tokens` is the core's token store (token login only;
 * default in memory), so that replicas sharing Redis share one login.
 */
export function cliniceaAdapter(
  options: CliniceaOptions,
  clock: Clock,
  fetchImpl: FetchLike = (input, init) => fetch(input, init),
  tokens?: TokenStore,
): VendorAdapter {
  const settings = cliniceaSettings(options);
  const rate = new RateLearner(settings.requestsPerSecond);
  const common = {
    vendor: 'clinicea',
    baseUrl: settings.baseUrl,
    // Per key in both modes: the key is what the vendor's rate limit counts (vendors.md).
    budgetKey: `clinicea:${keyId(settings.credentials)}`,
    correlationHeader: REQUEST_ID_HEADER,
    rateSpec: { kind: 'window', limit: settings.requestsPerSecond, windowMs: 1000 },
    readRateSignal: (response, now) => rate.read(response, now),
  } satisfies Partial<VendorAdapter>;
  if (settings.auth.kind === 'header') {
    return { ...common, authorize: (request) => withApiKey(request, settings.credentials), classifyError };
  }
  const auth = new CliniceaTokenAuth({ ...settings, ...settings.auth }, clock, fetchImpl, tokens);
  return {
    ...common,
    authorize: (request) => auth.authorize(request),
    refreshCredentials: (refused) => auth.refreshCredentials(refused),
    // A vendor message that echoes the token, key or password must not carry it into our errors.
    classifyError: (response, now) => {
      const classified = classifyError(response, now);
      return { ...classified, message: auth.redact(classified.message) };
    },
  };
}

/** Our extensions of Clinicea's API (not in its docs), as the capability memory names them. */
export const CLINICEA_EXTENSIONS = Object.freeze({ leadById: 'leads/{id}' });

export class CliniceaSource {
  readonly firstPageNumber: 0 | 1;
  private readonly cacheTtlMs: number;
  /** Counts per wire query, shared by concurrent callers while in flight and kept `cacheTtlMs` after. */
  private readonly counts = new Map<string, { readonly promise: Promise<number>; expiresAt: number }>();
  private readonly maxRememberedCounts: number;

  constructor(
    private readonly client: UpstreamClient,
    private readonly clock: Clock,
    options: Pick<CliniceaOptions, 'firstPageNumber' | 'cacheTtlMs' | 'maxRememberedCounts'> = {},
    /** What this Clinicea supports of our extensions (CLINICEA_EXTENSIONS). Default: a memory of its own. */
    private readonly capabilities: Capabilities = new Capabilities(),
  ) {
    this.firstPageNumber = options.firstPageNumber ?? DEFAULTS.firstPageNumber;
    this.cacheTtlMs = options.cacheTtlMs ?? DEFAULTS.cacheTtlMs;
    this.maxRememberedCounts = options.maxRememberedCounts ?? DEFAULTS.maxRememberedCounts;
  }

  static create(core: UpstreamCore, options: CliniceaOptions): CliniceaSource {
    const settings = cliniceaSettings(options);
    return new CliniceaSource(core.client(cliniceaAdapter(settings, core.clock, core.fetch, core.tokens)), core.clock, settings, core.capabilities);
  }

  /** Counts held for reuse now, for tests of the bound. */
  get rememberedCounts(): number {
    return this.counts.size;
  }

  get upstream(): UpstreamClient {
    return this.client;
  }

  /**
   * Leads matching `query`, 100 per page. With `changedSince`, an incremental sync: what was added, modified
   * or deleted since (deletions as tombstones), possibly with a second or two of overlap (see sync.ts).
   * Throws a bad_request UpstreamError, without calling the vendor, for dates it would refuse.
   */
  leads(query: LeadQuery, call: CallContext): PagedSource<Lead> {
    const wire = toLeadListQuery(query);
    const records = pageOnce(async (index: number): Promise<NativePage<CliniceaLead>> => {
      const body = await this.client.request<CliniceaLead[] | undefined>(
        {
          method: 'GET',
          path: 'leads',
          query: { ...wire, intPageNo: pageNumber(index, this.firstPageNumber) },
          cacheTtlMs: this.cacheTtlMs,
          operation: 'listLeads',
        },
        call,
      );
      return toNativePage(body, (record) => record);
    });
    return {
      pageSize: CLINICEA_PAGE_SIZE,
      page: async (index) => {
        const { items } = await records(index);
        return { items: items.map(leadOf) };
      },
      // The probe shares the response cache with `page`, so counting after a walk costs little.
      count: () => this.countOnce(wire, () => countByProbing(records, CLINICEA_PAGE_SIZE)),
    };
  }

  /**
   * One lead by id; null when Clinicea has no such lead. `GET leads/{id}` is our extension: a 404 from it is
   * either an unknown lead or a server without the route, so while that is unknown the route is tried on a lead
   * the documented list shows exists. Without the route the list is walked (within the request's call budget).
   */
  async lead(id: string, call: CallContext): Promise<Lead | null> {
    if (!CLINICEA_LEAD_ID.test(id)) return null;
    const support = await this.capabilities.support('clinicea', CLINICEA_EXTENSIONS.leadById);
    if (support !== 'unsupported') {
      const record = await this.leadById(id, call);
      if (record) {
        await this.capabilities.remember('clinicea', CLINICEA_EXTENSIONS.leadById, 'supported');
        return record;
      }
      if (support === 'supported' || (await this.leadRouteExists(call)) !== false) return null;
    }
    const scanned = (await this.scanLeads([id], call)).get(id);
    if (scanned instanceof Error) throw scanned;
    return scanned ?? null;
  }

  /**
   * Leads by id, in key order: null for an unknown id, the Error for one that failed. Clinicea has no
   * multi-get, so each distinct id is one GET (the rate queue paces them). A batch where some GET found its
   * lead shows the route exists, so its 404s are unknown leads; where none did, the route is probed once, and
   * without it one walk of the documented list finds them all.
   */
  async leadsByIds(ids: readonly string[], call: CallContext): Promise<Array<Lead | null | Error>> {
    const unique = [...new Set(ids)].filter((id) => CLINICEA_LEAD_ID.test(id));
    const byId = new Map<string, Lead | null | Error>();
    const support = await this.capabilities.support('clinicea', CLINICEA_EXTENSIONS.leadById);
    let missing = unique;
    if (support !== 'unsupported') {
      const results = await Promise.all(unique.map((id) => this.leadById(id, call).catch((error: unknown) => toError(error))));
      unique.forEach((id, i) => byId.set(id, results[i] ?? null));
      const anyFound = results.some((result) => result !== null && !(result instanceof Error));
      if (anyFound) await this.capabilities.remember('clinicea', CLINICEA_EXTENSIONS.leadById, 'supported');
      missing = unique.filter((id) => byId.get(id) === null);
      const routeKnown = anyFound || support === 'supported' || missing.length === 0;
      if (routeKnown || (await this.leadRouteExists(call).catch(() => undefined)) !== false) missing = [];
    }
    if (missing.length > 0) {
      const scanned = await this.scanLeads(missing, call);
      for (const id of missing) byId.set(id, scanned.get(id) ?? null);
    }
    return ids.map((id) => byId.get(id) ?? null);
  }

  private async leadById(id: string, call: CallContext): Promise<Lead | null> {
    const record = await this.client.requestOrNull<CliniceaLead>(
      { method: 'GET', path: `leads/${pathSegment(id)}`, cacheTtlMs: this.cacheTtlMs, operation: 'getLead' },
      call,
    );
    return record ? leadOf(record) : null;
  }

  /**
   * Whether `GET leads/{id}` answers for the first lead of the documented list; remembered either way.
   * Undefined when there is no lead to try it on (then every lead is unknown anyway).
   */
  private async leadRouteExists(call: CallContext): Promise<boolean | undefined> {
    const first = (await this.leads({}, call).page(0)).items[0];
    if (!first) return undefined;
    const exists = (await this.leadById(first.vendorId, call)) !== null;
    await this.capabilities.remember('clinicea', CLINICEA_EXTENSIONS.leadById, exists ? 'supported' : 'unsupported');
    return exists;
  }

  private scanLeads(ids: readonly string[], call: CallContext): Promise<Map<string, Lead | Error>> {
    return scanForIds(this.leads({}, call), ids, (lead) => lead.vendorId, { vendor: 'clinicea' });
  }

  /** `POST leads`: creates, so it is retried after a 429 only, never once it may have landed. */
  async createLead(input: NewLead, call: CallContext): Promise<Lead> {
    const record = await this.write<CliniceaLead>({ method: 'POST', path: 'leads', json: toLeadBody(input), operation: 'createLead' }, call);
    return toLead(record);
  }

  /** `PUT leads/{id}`, a partial update; a 404 is a not_found UpstreamError. */
  async updateLead(id: string, changes: LeadChanges, call: CallContext): Promise<Lead> {
    const record = await this.write<CliniceaLead>(
      { method: 'PUT', path: this.leadPath(id), json: toLeadBody(changes), operation: 'updateLead' },
      call,
    );
    return toLead(record);
  }

  /** `DELETE leads/{id}` (204); a 404 is a not_found UpstreamError. A later sync reports the lead as Deleted. */
  async deleteLead(id: string, call: CallContext): Promise<void> {
    await this.write<unknown>({ method: 'DELETE', path: this.leadPath(id), operation: 'deleteLead' }, call);
  }

  /**
   * A write, sent at most once (retried only after a 429), with the cache cleared whatever the outcome: a call
   * that failed on the way back may still have landed. A refusal names the field its message is about.
   */
  private async write<T>(request: Omit<UpstreamRequest, 'idempotent'>, call: CallContext): Promise<T> {
    try {
      return await this.client.request<T>({ ...request, idempotent: false }, call);
    } catch (error) {
      if (isProblem(error, 'bad_request') && error.status !== undefined) {
        const field = leadFieldOfMessage(error.message);
        const fieldErrors = field ? { [field]: [error.message] } : undefined;
        throw new UpstreamError(error.vendor, { ...error.problem, fieldErrors }, error.message, error.status, true);
      }
      throw error;
    } finally {
      await this.client.invalidate();
      // Counts are per filter and may now be off by the lead written.
      this.counts.clear();
    }
  }

  private leadPath(id: string): string {
    if (!CLINICEA_LEAD_ID.test(id)) throw invalidQuery('id', 'not a Clinicea lead id');
    return `leads/${pathSegment(id)}`;
  }

  private countOnce(wire: Omit<CliniceaLeadListQuery, 'intPageNo'>, compute: () => Promise<number>): Promise<number> {
    const now = this.clock.now();
    for (const [key, entry] of this.counts) if (entry.expiresAt <= now) this.counts.delete(key);
    const key = JSON.stringify([wire.startRange, wire.endRange, wire.lastSyncTimestamp]);
    const cached = this.counts.get(key);
    if (cached) return cached.promise;
    // Keys come from client filters: past the bound the oldest count is forgotten (Maps keep insertion order).
    if (this.counts.size >= this.maxRememberedCounts) {
      const oldest = this.counts.keys().next();
      if (!oldest.done) this.counts.delete(oldest.value);
    }
    const entry = { promise: compute(), expiresAt: Number.POSITIVE_INFINITY };
    this.counts.set(key, entry);
    entry.promise.then(
      () => {
        entry.expiresAt = this.clock.now() + this.cacheTtlMs;
      },
      () => {
        // A failed count is not remembered: the next caller tries again.
        if (this.counts.get(key) === entry) this.counts.delete(key);
      },
    );
    return entry.promise;
  }
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
