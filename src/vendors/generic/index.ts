/**
 * The Generic OAuth2 API data source: users, the client's own user, and bulk user creation, over the shared
 * upstream core. Everything vendor-specific (bearer tokens, paging, rate headers, error shape) is filled in
 * through the core's adapter hooks.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { PagedSource } from '../../domain/paging.ts';
import type { NewUser, User } from '../../domain/user.ts';
import { REQUEST_ID_HEADER, type VendorAdapter } from '../../upstream/adapter.ts';
import type { CallContext, UpstreamClient, UpstreamCore } from '../../upstream/client.ts';
import { refusedExtension, type Capabilities } from '../../upstream/capabilities.ts';
import { isUpstreamError } from '../../upstream/errors.ts';
import { scanForIds } from '../../upstream/id-scan.ts';
import { pathSegment } from '../../upstream/path-segment.ts';
import { GenericTokens, type GenericCredentials } from './auth.ts';
import { GENERIC_USER_ID } from './ids.ts';
import { toCreateUser, toItemOutcome, toUser, type BulkItemError, type BulkOutcome } from './mapping.ts';
import { GENERIC_MAX_LIMIT, pageParams, toNativePage } from './pagination.ts';
import { mappedOnce } from '../mapped-once.ts';
import { ThrottleBackoff } from '../throttle-backoff.ts';
import { bulkItemsOf, classifyError, isBareThrottle, readRateSignal } from './responses.ts';
import {
  GENERIC_BULK_MAX,
  GENERIC_IDEMPOTENCY_HEADER,
  GENERIC_LIST_LIMITS,
  type GenericBulkItem,
  type GenericBulkResponse,
  type GenericCreateUser,
  type GenericPage,
  type GenericUser,
} from './wire.ts';

export { verifyWebhook } from './webhooks.ts';

/** Our extensions of this API (not in its docs), as the capability memory names them. */
export const GENERIC_EXTENSIONS = Object.freeze({ idsFilter: 'users?ids', userById: 'users/{id}' });
export type { WebhookInput, WebhookPayload, WebhookVerdict } from './webhooks.ts';
export type { GenericCredentials } from './auth.ts';

/** Cached records are mapped once, not on every hit (../mapped-once.ts). */
const userOf = mappedOnce(toUser);

export interface GenericOptions {
  /** Everything requests are relative to, e.g. `https://api.example.com/api/v1/`. */
  readonly baseUrl: string;
  /** The OAuth2 token endpoint (client credentials grant). */
  readonly tokenUrl: string;
  readonly credentials: GenericCredentials;
  /** The documented limit per window, used until responses say otherwise. Default 50. */
  readonly requestsPerWindow?: number;
  /** The documented window, seconds. Default 10. */
  readonly windowSeconds?: number;
  /** How long list pages and users are reused across requests, ms. Default 5000; writes clear it. */
  readonly cacheTtlMs?: number;
  /** Ids per `users?ids=` call, 1 to 100. Default 100 (the vendor's most). */
  readonly userBatchSize?: number;
  /** Fetch a new token this long before the old one expires, ms. Default 60000. */
  readonly tokenRefreshBeforeMs?: number;
  /** One token request's timeout, ms. Default 10000. */
  readonly tokenTimeoutMs?: number;
}

/** One caller's item of a bulk create, by its position in the caller's input. */
export interface BulkItemResult {
  readonly index: number;
  readonly user: User | null;
  /** `updated` when the email already belonged to a user, whom the item updated; null on failure. */
  readonly outcome: BulkOutcome | null;
  readonly error: BulkItemError | null;
}

const DEFAULTS = Object.freeze({
  requestsPerWindow: 50,
  windowSeconds: 10,
  cacheTtlMs: 5000,
  userBatchSize: GENERIC_LIST_LIMITS.maxIds,
  tokenRefreshBeforeMs: 60_000,
  tokenTimeoutMs: 10_000,
});

type Settings = Readonly<Required<GenericOptions>>;

function httpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Validates once, at construction; messages say what was expected and never echo the secret. */
export function genericSettings(options: GenericOptions): Settings {
  // An option given as undefined (config code often passes `env.X ? Number(env.X) : undefined`) keeps its default.
  const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as GenericOptions;
  const s = { ...DEFAULTS, ...defined };
  const given = (value: unknown) => (typeof value === 'string' && value !== '' ? JSON.stringify(value) : 'nothing');
  const secret = options.credentials?.clientSecret;
  const checks: Array<[ok: boolean, expected: string, got: string]> = [
    [httpUrl(s.baseUrl), 'baseUrl to be an absolute http(s) URL', given(s.baseUrl)],
    [httpUrl(s.tokenUrl), 'tokenUrl to be an absolute http(s) URL', given(s.tokenUrl)],
    [typeof s.credentials?.clientId === 'string' && s.credentials.clientId !== '', 'credentials.clientId to be set', given(s.credentials?.clientId)],
    [typeof secret === 'string' && secret !== '', 'credentials.clientSecret to be set', 'nothing'],
    [Number.isInteger(s.requestsPerWindow) && s.requestsPerWindow >= 1, 'requestsPerWindow to be a whole number >= 1', String(s.requestsPerWindow)],
    [Number.isFinite(s.windowSeconds) && s.windowSeconds > 0, 'windowSeconds to be a number > 0', String(s.windowSeconds)],
    [Number.isFinite(s.cacheTtlMs) && s.cacheTtlMs >= 0, 'cacheTtlMs to be a number of ms >= 0', String(s.cacheTtlMs)],
    [
      Number.isInteger(s.userBatchSize) && s.userBatchSize >= 1 && s.userBatchSize <= GENERIC_LIST_LIMITS.maxIds,
      `userBatchSize to be a whole number from 1 to ${GENERIC_LIST_LIMITS.maxIds}`,
      String(s.userBatchSize),
    ],
    [Number.isFinite(s.tokenRefreshBeforeMs) && s.tokenRefreshBeforeMs >= 0, 'tokenRefreshBeforeMs to be a number of ms >= 0', String(s.tokenRefreshBeforeMs)],
    [Number.isFinite(s.tokenTimeoutMs) && s.tokenTimeoutMs > 0, 'tokenTimeoutMs to be a number of ms > 0', String(s.tokenTimeoutMs)],
  ];
  for (const [ok, expected, got] of checks) if (!ok) throw new Error(`generic: expected ${expected}, got ${got}`);
  return Object.freeze(s);
}

/** The first wait after a bare 429 (no Retry-After, no reset), before jitter; each one in a row doubles it. */
export const GENERIC_BARE_429_BASE_MS = 1000;
/** The longest wait after bare 429s in a row, before jitter. */
export const GENERIC_BARE_429_MAX_MS = 60_000;

export function genericAdapter(settings: Settings, tokens: GenericTokens, random?: () => number): VendorAdapter {
  const windowMs = settings.windowSeconds * 1000;
  const backoff = new ThrottleBackoff({ baseMs: GENERIC_BARE_429_BASE_MS, maxMs: GENERIC_BARE_429_MAX_MS, random });
  // Set by readRateSignal and read by classifyError: the core calls them back to back, with no await between,
  // for the same answer, so the streak advances once per 429.
  let bareWaitMs = GENERIC_BARE_429_BASE_MS;
  // One budget per server and OAuth client, as the vendor counts; a hash names it without the client id.
  const clientId = createHash('sha256').update(`${new URL(settings.baseUrl).origin}|${settings.credentials.clientId}`).digest('hex').slice(0, 12);
  return {
    vendor: 'generic',
    baseUrl: settings.baseUrl,
    budgetKey: `generic:${clientId}`,
    correlationHeader: REQUEST_ID_HEADER,
    rateSpec: { kind: 'window', limit: settings.requestsPerWindow, windowMs },
    authorize: (request) => tokens.authorize(request),
    refreshCredentials: (refused) => tokens.refreshAfterUnauthorized(refused),
    readRateSignal: (response, now) => {
      if (isBareThrottle(response, now)) bareWaitMs = backoff.next(now);
      else if (response.status >= 200 && response.status < 300) backoff.reset();
      return readRateSignal(response, now, bareWaitMs);
    },
    classifyError: (response, now) => classifyError(response, now, bareWaitMs),
  };
}

/** An item bound for the vendor, with its position in the caller's input. */
interface Outgoing {
  readonly index: number;
  readonly item: GenericCreateUser;
}

export class GenericSource {
  readonly userBatchSize: number;
  private readonly cacheTtlMs: number;

  private constructor(
    private readonly client: UpstreamClient,
    private readonly tokens: GenericTokens,
    settings: Settings,
    private readonly capabilities: Capabilities,
  ) {
    this.cacheTtlMs = settings.cacheTtlMs;
    this.userBatchSize = settings.userBatchSize;
  }

  static create(core: UpstreamCore, options: GenericOptions): GenericSource {
    const settings = genericSettings(options);
    const tokens = new GenericTokens({
      tokenUrl: settings.tokenUrl,
      credentials: settings.credentials,
      fetch: core.fetch,
      clock: core.clock,
      refreshBeforeMs: settings.tokenRefreshBeforeMs,
      timeoutMs: settings.tokenTimeoutMs,
      store: core.tokens,
    });
    return new GenericSource(core.client(genericAdapter(settings, tokens)), tokens, settings, core.capabilities);
  }

  get upstream(): UpstreamClient {
    return this.client;
  }

  /** Calls this source made to the token endpoint, refused ones included. */
  get tokenRequests(): number {
    return this.tokens.tokenRequests;
  }

  /** Every user, ordered by the vendor: lastName, firstName, id. */
  users(call: CallContext): PagedSource<User> {
    return {
      pageSize: GENERIC_MAX_LIMIT,
      page: async (index) => {
        const page = await this.client.request<GenericPage<GenericUser>>(
          { method: 'GET', path: 'users', query: pageParams(index), cacheTtlMs: this.cacheTtlMs, operation: 'listUsers' },
          call,
        );
        return toNativePage(page, userOf);
      },
    };
  }

  /**
   * Users by id, in key order, null for unknown ids. `users?ids=` is this API's extension, so its answer is
   * checked: a server that ignores `ids` answers a list with users nobody asked for (or a total larger than the
   * batch); those are dropped, the extension is remembered as unsupported, and the batch is looked up by the
   * documented calls instead (`lookUp`). A 400 or 404 for it means the same.
   */
  async usersByIds(ids: readonly string[], call: CallContext): Promise<Array<User | null | Error>> {
    // Commas separate ids on the wire, so an id holding one can only be asked for on its own.
    const batchable = [...new Set(ids.filter((id) => id !== '' && !id.includes(',')))];
    const found = new Map<string, User | Error>();
    const lookUp = new Set(ids.filter((id) => !batchable.includes(id)));
    const batches: string[][] = [];
    for (let start = 0; start < batchable.length; start += this.userBatchSize) {
      batches.push(batchable.slice(start, start + this.userBatchSize));
    }
    if ((await this.capabilities.support('generic', GENERIC_EXTENSIONS.idsFilter)) === 'unsupported') {
      for (const id of batchable) lookUp.add(id);
    } else {
      await Promise.all(batches.map((batch) => this.batchByIds(batch, call, found, lookUp)));
    }
    for (const [id, user] of await this.lookUp([...lookUp], call)) found.set(id, user);
    return ids.map((id) => found.get(id) ?? null);
  }

  private async batchByIds(batch: readonly string[], call: CallContext, found: Map<string, User | Error>, lookUp: Set<string>): Promise<void> {
    let page: GenericPage<GenericUser>;
    try {
      page = await this.client.request<GenericPage<GenericUser>>(
        { method: 'GET', path: 'users', query: { ids: batch.join(',') }, cacheTtlMs: this.cacheTtlMs, operation: 'getUsers' },
        call,
      );
    } catch (error) {
      if (!refusedExtension(error)) {
        for (const id of batch) found.set(id, asError(error));
        return;
      }
      await this.capabilities.remember('generic', GENERIC_EXTENSIONS.idsFilter, 'unsupported');
      for (const id of batch) lookUp.add(id);
      return;
    }
    const asked = new Set(batch);
    const total = page.meta?.totalItems ?? page.data.length;
    const ignored = page.data.some((record) => !asked.has(record.id)) || total > batch.length;
    // Only what was asked for is ever served, whatever the server did with the filter.
    for (const record of page.data) if (asked.has(record.id)) found.set(record.id, userOf(record));
    // An answer holding fewer records than it counts is one page of several: an id missing from it is unconfirmed.
    if (ignored || total > page.data.length) for (const id of batch) if (!found.has(id)) lookUp.add(id);
    if (ignored) {
      await this.capabilities.remember('generic', GENERIC_EXTENSIONS.idsFilter, 'unsupported');
    } else {
      await this.capabilities.remember('generic', GENERIC_EXTENSIONS.idsFilter, 'supported');
    }
  }

  /**
   * Users by the calls left when `ids=` is not there: `GET users/{id}` each while that route works (also our
   * extension), else one walk of the documented list for all of them. Absent ids are missing from the map.
   */
  private async lookUp(ids: readonly string[], call: CallContext): Promise<Map<string, User | Error>> {
    const out = new Map<string, User | Error>();
    if (ids.length === 0) return out;
    let support = await this.capabilities.support('generic', GENERIC_EXTENSIONS.userById);
    // Asked once here rather than by each id's own 404, so that a batch costs one probe, not one per id.
    support ??= (await this.userByIdRouteExists(call)) ? 'supported' : 'unsupported';
    if (support === 'supported') {
      await Promise.all(
        ids.map(async (id) => {
          const user = await this.user(id, call).catch(asError);
          if (user) out.set(id, user);
        }),
      );
      return out;
    }
    const valid = ids.filter((id) => id !== 'me' && GENERIC_USER_ID.test(id));
    for (const [id, user] of await scanForIds(this.users(call), valid, (record) => record.vendorId, { vendor: 'generic' })) out.set(id, user);
    return out;
  }

  /**
   * One user: `GET users/{id}`, our extension. A 404 is either an unknown user or a server without the route;
   * while that is unknown, the route is tried on a user known to exist (the caller itself, from the documented
   * `users/me`). Without the route the documented list is walked (within the request's call budget).
   */
  async user(id: string, call: CallContext): Promise<User | null> {
    // `users/me` is the caller itself, not a user with id "me".
    if (id === 'me' || !GENERIC_USER_ID.test(id)) return null;
    const support = await this.capabilities.support('generic', GENERIC_EXTENSIONS.userById);
    if (support !== 'unsupported') {
      const record = await this.client.requestOrNull<GenericUser>(
        { method: 'GET', path: `users/${pathSegment(id)}`, cacheTtlMs: this.cacheTtlMs, operation: 'getUser' },
        call,
      );
      if (record) {
        await this.capabilities.remember('generic', GENERIC_EXTENSIONS.userById, 'supported');
        return userOf(record);
      }
      if (support === 'supported' || (await this.userByIdRouteExists(call))) return null;
    }
    const scanned = (await scanForIds(this.users(call), [id], (user) => user.vendorId, { vendor: 'generic' })).get(id);
    if (scanned instanceof Error) throw scanned;
    return scanned ?? null;
  }

  /** Whether `GET users/{id}` answers for the caller's own id; remembered either way. */
  private async userByIdRouteExists(call: CallContext): Promise<boolean> {
    const me = await this.client.request<GenericUser>({ method: 'GET', path: 'users/me', cacheTtlMs: this.cacheTtlMs, operation: 'getViewer' }, call);
    const again = await this.client.requestOrNull<GenericUser>(
      { method: 'GET', path: `users/${pathSegment(me.id)}`, cacheTtlMs: this.cacheTtlMs, operation: 'getUser' },
      call,
    );
    await this.capabilities.remember('generic', GENERIC_EXTENSIONS.userById, again ? 'supported' : 'unsupported');
    return again !== null;
  }

  /** The OAuth client's own (service) user. */
  async viewer(call: CallContext): Promise<User> {
    const record = await this.client.request<GenericUser>(
      { method: 'GET', path: 'users/me', cacheTtlMs: this.cacheTtlMs, operation: 'getViewer' },
      call,
    );
    return toUser(record);
  }

  /**
   * Creates users through `POST users/bulk`, up to 100 per call, and reports every item in input order. Each
   * call carries its own Idempotency-Key, made once and sent again on every retry, so a retry after a 5xx or
   * a timeout replays the vendor's first answer instead of creating twice: that is what makes marking the
   * call idempotent honest. Calls go one after another; once one fails outright, nothing more is sent and
   * its items and the unsent ones carry the failure. When nothing at all was sent, the failure is thrown.
   */
  async createUsers(input: readonly NewUser[], call: CallContext): Promise<BulkItemResult[]> {
    const results: Array<BulkItemResult | undefined> = new Array<BulkItemResult | undefined>(input.length);
    const outgoing: Outgoing[] = [];
    input.forEach((user, index) => {
      const wire = toCreateUser(user);
      if (wire.ok) outgoing.push({ index, item: wire.item });
      else results[index] = { index, user: null, outcome: null, error: wire.error };
    });
    let failure: BulkItemError | undefined;
    for (let start = 0; start < outgoing.length; start += GENERIC_BULK_MAX) {
      const chunk = outgoing.slice(start, start + GENERIC_BULK_MAX);
      if (failure) {
        const notSent = { code: 'NOT_SENT', message: 'not sent: an earlier batch of this request failed', field: null };
        for (const { index } of chunk) results[index] = { index, user: null, outcome: null, error: notSent };
        continue;
      }
      try {
        const items = await this.sendBulk(chunk, call);
        chunk.forEach(({ index }, position) => {
          const item = items.find((candidate) => candidate.index === position);
          results[index] = item
            ? { index, ...toItemOutcome(item) }
            : { index, user: null, outcome: null, error: { code: 'MISSING_RESULT', message: 'the vendor did not report this item', field: null } };
        });
      } catch (error) {
        if (start === 0) throw error;
        failure = failureOf(error);
        for (const { index } of chunk) results[index] = { index, user: null, outcome: null, error: failure };
      }
    }
    return results.map((result, index) => result ?? { index, user: null, outcome: null, error: { code: 'MISSING_RESULT', message: 'not processed', field: null } });
  }

  private async sendBulk(chunk: readonly Outgoing[], call: CallContext): Promise<readonly GenericBulkItem[]> {
    const request = {
      method: 'POST',
      path: 'users/bulk',
      json: chunk.map(({ item }) => item),
      headers: { [GENERIC_IDEMPOTENCY_HEADER]: randomUUID() },
      idempotent: true,
      operation: 'createUsers',
    } as const;
    try {
      const body = await this.client.request<GenericBulkResponse>(request, call);
      return Array.isArray(body?.data) ? body.data : [];
    } catch (error) {
      // A 400 when no item could be created still reports each item: that is an answer, not a failure.
      const items = bulkItemsOf(error);
      if (items) return items;
      throw error;
    } finally {
      // Even a failed call may have created users (a timeout after the vendor acted); never serve stale lists.
      await this.client.invalidate();
    }
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function failureOf(error: unknown): BulkItemError {
  if (isUpstreamError(error)) return { code: error.problem.kind.toUpperCase(), message: error.message, field: null };
  return { code: 'UNKNOWN', message: 'the call failed', field: null };
}
