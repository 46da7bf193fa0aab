/**
 * The Caseware Cloud data source: the firm's clients (`entities`) and users, over the shared upstream core.
 * Everything Caseware-specific (bearer tokens, the token-bucket headers, bare-array pages without totals,
 * the `search` filter) is filled in through the core's adapter hooks.
 */
import { createHash } from 'node:crypto';
import type { Client, ClientFilter } from '../../domain/client.ts';
import type { NativePage, PagedSource } from '../../domain/paging.ts';
import type { User } from '../../domain/user.ts';
import { REQUEST_ID_HEADER, type VendorAdapter } from '../../upstream/adapter.ts';
import type { CallContext, UpstreamClient, UpstreamCore } from '../../upstream/client.ts';
import { refusedExtension, unsupportedExtension, type Capabilities } from '../../upstream/capabilities.ts';
import { UpstreamError, isProblem } from '../../upstream/errors.ts';
import { pathSegment } from '../../upstream/path-segment.ts';
import { CasewareAuth } from './auth.ts';
import { CASEWARE_GUID } from './ids.ts';
import { toClient, toUser } from './mapping.ts';
import { casewareSettings, type CasewareOptions, type CasewareSettings } from './options.ts';
import { asList, pageQuery, probedSource, toNativePage } from './pagination.ts';
import { mappedOnceBy } from '../mapped-once.ts';
import { VENDOR, casewareResponses } from './responses.ts';
import { casewareSearch, type CasewareEntity, type CasewareListQuery, type CasewareUser } from './wire.ts';

export type { CasewareCredentials, CasewareOptions } from './options.ts';
export { CASEWARE_DEFAULTS } from './options.ts';

export function casewareAdapter(settings: CasewareSettings, auth: CasewareAuth): VendorAdapter {
  // The bucket is per API client (and firm); a hash names it without putting the client id in Redis keys.
  const keyId = createHash('sha256')
    .update(`${settings.baseUrl}\n${settings.credentials.clientId}`)
    .digest('hex')
    .slice(0, 12);
  return {
    vendor: VENDOR,
    baseUrl: settings.baseUrl,
    budgetKey: `${VENDOR}:${keyId}`,
    correlationHeader: REQUEST_ID_HEADER,
    rateSpec: { kind: 'bucket', capacity: settings.bucket.capacity, refillPerSecond: settings.bucket.refillPerSecond },
    authorize: (request) => auth.authorize(request),
    refreshCredentials: (refused) => auth.refreshCredentials(refused),
    ...casewareResponses(),
  };
}

type ListPath = 'users' | 'entities';

/** Our extensions of Caseware's API (not in its docs), as the capability memory names them. */
export const CASEWARE_EXTENSIONS = Object.freeze({ repeatedSearch: 'search repeated', staffSearch: 'entities?search=StaffCWGuids' });

/** A list whose search rests on an extension: each record must hold up, or the search was ignored. */
interface CheckedSearch<T> {
  readonly extension: string;
  readonly holds: (record: T) => boolean;
  readonly message: string;
}

/** How `byIds` fetches and maps one kind of record. */
interface ByIdsSpec<W, T> {
  readonly path: ListPath;
  readonly operation: string;
  readonly map: (record: W) => T;
  readonly one: (id: string) => Promise<T | null>;
}

/** CWGuids compare case-insensitively: the API accepts either case. */
const idKey = (id: string): string => id.toUpperCase();

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

export class CasewareSource {
  readonly userBatchSize: number;

  private constructor(
    private readonly upstreamClient: UpstreamClient,
    private readonly auth: CasewareAuth,
    private readonly settings: CasewareSettings,
    private readonly capabilities: Capabilities,
  ) {
    this.userBatchSize = settings.userBatchSize;
  }

  /** Validates `options` (throwing a message per problem) and registers the vendor with `core`. */
  static create(core: UpstreamCore, options: CasewareOptions): CasewareSource {
    const settings = casewareSettings(options);
    const auth = new CasewareAuth(settings, core.clock, core.fetch, core.tokens);
    return new CasewareSource(core.client(casewareAdapter(settings, auth)), auth, settings, core.capabilities);
  }

  get upstream(): UpstreamClient {
    return this.upstreamClient;
  }

  /** Token requests made so far, answered or not (for tests and status). */
  get tokenRequests(): number {
    return this.auth.tokenRequests;
  }

  /** The firm's clients in the API's order (Name, then CWGuid); every filter given must match. */
  clients(filter: ClientFilter, call: CallContext): PagedSource<Client> {
    const search = [
      filter.name !== undefined ? casewareSearch('Name', '=', filter.name) : undefined,
      filter.entityType !== undefined ? casewareSearch('EntityType', '=', filter.entityType) : undefined,
      // On a list field `=` means "contains" (wire.ts).
      filter.staffId !== undefined ? casewareSearch('StaffCWGuids', '=', filter.staffId) : undefined,
    ].filter((term): term is string => term !== undefined);
    const { staffId } = filter;
    // StaffCWGuids is our reading of an entity (vendors.md): a Caseware without it may refuse or ignore the term.
    const checked: CheckedSearch<Client> | undefined =
      staffId === undefined
        ? undefined
        : {
            extension: CASEWARE_EXTENSIONS.staffSearch,
            holds: (client) => client.staffIds?.includes(staffId) === true,
            message: 'this Caseware does not search clients by staff (StaffCWGuids), which a staff member’s clients need',
          };
    return this.list<CasewareEntity, Client>('entities', 'listClients', search, toClient, call, checked);
  }

  /** Users in the API's order (LastName, FirstName, CWGuid). */
  users(call: CallContext): PagedSource<User> {
    return this.list<CasewareUser, User>('users', 'listUsers', [], toUser, call);
  }

  async client(id: string, call: CallContext): Promise<Client | null> {
    const record = await this.one<CasewareEntity>('entities', id, 'getClient', call);
    return record ? toClient(record) : null;
  }

  async user(id: string, call: CallContext): Promise<User | null> {
    const record = await this.one<CasewareUser>('users', id, 'getUser', call);
    return record ? toUser(record) : null;
  }

  /** Clients by id, in key order, null for unknown ids; batched like `usersByIds`. */
  clientsByIds(ids: readonly string[], call: CallContext): Promise<Array<Client | null | Error>> {
    return this.byIds(ids, call, { path: 'entities', operation: 'getClients', map: toClient, one: (id) => this.client(id, call) });
  }

  /** Users by id, in key order, null for unknown ids; `userBatchSize` ids per call. */
  usersByIds(ids: readonly string[], call: CallContext): Promise<Array<User | null | Error>> {
    return this.byIds(ids, call, { path: 'users', operation: 'getUsers', map: toUser, one: (id) => this.user(id, call) });
  }

  /**
   * A list, searched. With `checked`, the search rests on an extension with no documented equivalent short of
   * reading every page: a refusal (400, 404) or a record that fails the check (the term ignored) is remembered
   * and answered as unsupported, never as the unfiltered list.
   */
  private list<W, T>(
    path: ListPath,
    operation: string,
    search: string[],
    map: (record: W) => T,
    call: CallContext,
    checked?: CheckedSearch<T>,
  ): PagedSource<T> {
    const { pageSize, cacheTtlMs } = this.settings;
    const unsupported = (c: CheckedSearch<T>) => unsupportedExtension('caseware', c.extension, c.message);
    return probedSource(pageSize, async (index) => {
      const query: CasewareListQuery = { ...pageQuery(index, pageSize), search: search.length > 0 ? search : undefined };
      if (search.length > 1 && (await this.capabilities.support('caseware', CASEWARE_EXTENSIONS.repeatedSearch)) === 'unsupported') {
        throw oneTermOnly();
      }
      if (checked && (await this.capabilities.support('caseware', checked.extension)) === 'unsupported') throw unsupported(checked);
      let page: NativePage<T>;
      try {
        const body = await this.upstreamClient.request<unknown>({ method: 'GET', path, query: { ...query }, cacheTtlMs, operation }, call);
        page = toNativePage(asList<W>(body, path), mappedOnceBy(map));
      } catch (error) {
        if (search.length > 1 && isProblem(error, 'bad_request')) {
          await this.capabilities.remember('caseware', CASEWARE_EXTENSIONS.repeatedSearch, 'unsupported');
          throw oneTermOnly();
        }
        if (!checked || !refusedExtension(error)) throw error;
        await this.capabilities.remember('caseware', checked.extension, 'unsupported');
        throw unsupported(checked);
      }
      if (checked && page.items.length > 0) {
        const held = page.items.every(checked.holds);
        await this.capabilities.remember('caseware', checked.extension, held ? 'supported' : 'unsupported');
        if (!held) {
          // The cached page is an unfiltered list under a filtered key: it must answer nobody else.
          await this.upstreamClient.invalidate();
          throw unsupported(checked);
        }
      }
      return page;
    });
  }

  private async one<W>(path: ListPath, id: string, operation: string, call: CallContext): Promise<W | null> {
    // No Caseware record has such an id, so there is nothing to ask (and no URL to build from it).
    if (!CASEWARE_GUID.test(id)) return null;
    const request = { method: 'GET', path: `${path}/${pathSegment(id)}`, cacheTtlMs: this.settings.cacheTtlMs, operation } as const;
    return this.upstreamClient.requestOrNull<W>(request, call);
  }

  /**
   * Records by id through repeated `search=CWGuid='..'`, ORed: our extension (wire.ts), so the answer is
   * checked. An id a single-id search did not return is unknown; one missing from a multi-id answer is
   * fetched on its own (the documented `{path}/{CWGuid}`), in case a server does not OR repeated terms. A
   * server that refuses repeated terms (400) or is caught not ORing them has the extension remembered as
   * unsupported, and from then on every id is one documented GET. A failed batch is that batch's ids' error,
   * leaving the other batches' results intact.
   */
  private async byIds<W extends { CWGuid: string }, T>(
    ids: readonly string[],
    call: CallContext,
    spec: ByIdsSpec<W, T>,
  ): Promise<Array<T | null | Error>> {
    // Only GUIDs go into a search term: a quote in an id would end its string and start another term.
    const unique = [...new Map(ids.filter((id) => CASEWARE_GUID.test(id)).map((id) => [idKey(id), id])).values()];
    const found = new Map<string, T>();
    const failed = new Map<string, Error>();
    const unconfirmed = new Set<string>();
    const chunks: string[][] = [];
    const repeatable = (await this.capabilities.support('caseware', CASEWARE_EXTENSIONS.repeatedSearch)) !== 'unsupported';
    for (let start = 0; start < unique.length; start += repeatable ? this.userBatchSize : 1) {
      chunks.push(unique.slice(start, start + (repeatable ? this.userBatchSize : 1)));
    }
    await Promise.all(
      chunks.map(async (chunk) => {
        const wanted = new Set(chunk.map(idKey));
        if (!repeatable) {
          for (const key of wanted) unconfirmed.add(key);
          return;
        }
        try {
          const query: CasewareListQuery = {
            page: 1,
            pageSize: chunk.length,
            search: chunk.map((id) => casewareSearch('CWGuid', '=', id)),
          };
          const body = await this.upstreamClient.request<unknown>(
            { method: 'GET', path: spec.path, query: { ...query }, cacheTtlMs: this.settings.cacheTtlMs, operation: spec.operation },
            call,
          );
          for (const record of asList<W>(body, spec.path)) {
            const key = idKey(record.CWGuid);
            if (wanted.has(key)) found.set(key, mappedOnceBy(spec.map)(record));
          }
          if (chunk.length > 1) for (const key of wanted) if (!found.has(key)) unconfirmed.add(key);
        } catch (error) {
          if (chunk.length > 1 && isProblem(error, 'bad_request')) {
            await this.capabilities.remember('caseware', CASEWARE_EXTENSIONS.repeatedSearch, 'unsupported');
            for (const key of wanted) unconfirmed.add(key);
            return;
          }
          for (const key of wanted) failed.set(key, asError(error));
        }
      }),
    );
    const singles = new Map<string, Promise<T | null | Error>>();
    return Promise.all(
      ids.map((id) => {
        const key = idKey(id);
        const hit = found.get(key) ?? failed.get(key);
        if (hit !== undefined) return hit;
        if (!unconfirmed.has(key)) return null;
        let single = singles.get(key);
        if (!single) {
          single = spec.one(id).then(async (record) => {
            // Found alone but not in the multi-id answer: the server did not OR the terms.
            if (record !== null && repeatable) await this.capabilities.remember('caseware', CASEWARE_EXTENSIONS.repeatedSearch, 'unsupported');
            return record;
          }, asError);
          singles.set(key, single);
        }
        return single;
      }),
    );
  }
}

/**
 * The documented `search` is one term: a server without our repeated terms can filter on one field only, and
 * filtering the rest here would mean reading whole lists. So the caller is told, rather than given a wider list.
 */
function oneTermOnly(): UpstreamError {
  return new UpstreamError(
    VENDOR,
    { kind: 'bad_request', fieldErrors: undefined, vendorCode: 'ONE_SEARCH_TERM' },
    'this Caseware server takes one search term per request: filter clients on one of name, entityType or staff at a time',
    // No status: it is the combination the caller asked for that cannot be served (BAD_USER_INPUT).
    undefined,
    true,
  );
}
