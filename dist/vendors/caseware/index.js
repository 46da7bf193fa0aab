/**
 * The Caseware Cloud data source: the firm's clients (`entities`) and users, over the shared upstream core.
 * Everything Caseware-specific (bearer tokens, the token-bucket headers, bare-array pages without totals,
 * the `search` filter) is filled in through the core's adapter hooks.
 */
import { createHash } from 'node:crypto';
import { pathSegment } from "../../upstream/path-segment.js";
import { CasewareAuth } from "./auth.js";
import { CASEWARE_GUID } from "./ids.js";
import { toClient, toUser } from "./mapping.js";
import { casewareSettings } from "./options.js";
import { asList, pageQuery, probedSource, toNativePage } from "./pagination.js";
import { VENDOR, casewareResponses } from "./responses.js";
import { casewareSearch } from "./wire.js";
export { CASEWARE_DEFAULTS } from "./options.js";
export function casewareAdapter(settings, auth) {
    // The bucket is per API client (and firm); a hash names it without putting the client id in Redis keys.
    const keyId = createHash('sha256')
        .update(`${settings.baseUrl}\n${settings.credentials.clientId}`)
        .digest('hex')
        .slice(0, 12);
    return {
        vendor: VENDOR,
        baseUrl: settings.baseUrl,
        budgetKey: `${VENDOR}:${keyId}`,
        rateSpec: { kind: 'bucket', capacity: settings.bucket.capacity, refillPerSecond: settings.bucket.refillPerSecond },
        authorize: (request) => auth.authorize(request),
        refreshCredentials: (refused) => auth.refreshCredentials(refused),
        ...casewareResponses(),
    };
}
/** CWGuids compare case-insensitively: the API accepts either case. */
const idKey = (id) => id.toUpperCase();
const asError = (error) => (error instanceof Error ? error : new Error(String(error)));
export class CasewareSource {
    upstreamClient;
    auth;
    settings;
    userBatchSize;
    constructor(upstreamClient, auth, settings) {
        this.upstreamClient = upstreamClient;
        this.auth = auth;
        this.settings = settings;
        this.userBatchSize = settings.userBatchSize;
    }
    /** Validates `options` (throwing a message per problem) and registers the vendor with `core`. */
    static create(core, options) {
        const settings = casewareSettings(options);
        const auth = new CasewareAuth(settings, core.clock, core.fetch);
        return new CasewareSource(core.client(casewareAdapter(settings, auth)), auth, settings);
    }
    get upstream() {
        return this.upstreamClient;
    }
    /** Token requests made so far, answered or not (for tests and status). */
    get tokenRequests() {
        return this.auth.tokenRequests;
    }
    /** The firm's clients in the API's order (Name, then CWGuid); every filter given must match. */
    clients(filter, call) {
        const search = [
            filter.name !== undefined ? casewareSearch('Name', '=', filter.name) : undefined,
            filter.entityType !== undefined ? casewareSearch('EntityType', '=', filter.entityType) : undefined,
            // On a list field `=` means "contains" (wire.ts).
            filter.staffId !== undefined ? casewareSearch('StaffCWGuids', '=', filter.staffId) : undefined,
        ].filter((term) => term !== undefined);
        return this.list('entities', 'listClients', search, toClient, call);
    }
    /** Users in the API's order (LastName, FirstName, CWGuid). */
    users(call) {
        return this.list('users', 'listUsers', [], toUser, call);
    }
    async client(id, call) {
        const record = await this.one('entities', id, 'getClient', call);
        return record ? toClient(record) : null;
    }
    async user(id, call) {
        const record = await this.one('users', id, 'getUser', call);
        return record ? toUser(record) : null;
    }
    /** Clients by id, in key order, null for unknown ids; batched like `usersByIds`. */
    clientsByIds(ids, call) {
        return this.byIds(ids, call, { path: 'entities', operation: 'getClients', map: toClient, one: (id) => this.client(id, call) });
    }
    /** Users by id, in key order, null for unknown ids; `userBatchSize` ids per call. */
    usersByIds(ids, call) {
        return this.byIds(ids, call, { path: 'users', operation: 'getUsers', map: toUser, one: (id) => this.user(id, call) });
    }
    list(path, operation, search, map, call) {
        const { pageSize, cacheTtlMs } = this.settings;
        return probedSource(pageSize, async (index) => {
            const query = { ...pageQuery(index, pageSize), search: search.length > 0 ? search : undefined };
            const body = await this.upstreamClient.request({ method: 'GET', path, query: { ...query }, cacheTtlMs, operation }, call);
            return toNativePage(asList(body, path), map);
        });
    }
    async one(path, id, operation, call) {
        // No Caseware record has such an id, so there is nothing to ask (and no URL to build from it).
        if (!CASEWARE_GUID.test(id))
            return null;
        const request = { method: 'GET', path: `${path}/${pathSegment(id)}`, cacheTtlMs: this.settings.cacheTtlMs, operation };
        return this.upstreamClient.requestOrNull(request, call);
    }
    /**
     * Records by id through repeated `search=CWGuid='..'`, ORed: our extension (wire.ts), so the answer is
     * checked. An id a single-id search did not return is unknown; one missing from a multi-id answer is
     * fetched on its own, in case a server does not OR repeated terms. A failed batch is that batch's ids'
     * error, leaving the other batches' results intact.
     */
    async byIds(ids, call, spec) {
        // Only GUIDs go into a search term: a quote in an id would end its string and start another term.
        const unique = [...new Map(ids.filter((id) => CASEWARE_GUID.test(id)).map((id) => [idKey(id), id])).values()];
        const found = new Map();
        const failed = new Map();
        const unconfirmed = new Set();
        const chunks = [];
        for (let start = 0; start < unique.length; start += this.userBatchSize) {
            chunks.push(unique.slice(start, start + this.userBatchSize));
        }
        await Promise.all(chunks.map(async (chunk) => {
            const wanted = new Set(chunk.map(idKey));
            try {
                const query = {
                    page: 1,
                    pageSize: chunk.length,
                    search: chunk.map((id) => casewareSearch('CWGuid', '=', id)),
                };
                const body = await this.upstreamClient.request({ method: 'GET', path: spec.path, query: { ...query }, cacheTtlMs: this.settings.cacheTtlMs, operation: spec.operation }, call);
                for (const record of asList(body, spec.path)) {
                    const key = idKey(record.CWGuid);
                    if (wanted.has(key))
                        found.set(key, spec.map(record));
                }
                if (chunk.length > 1)
                    for (const key of wanted)
                        if (!found.has(key))
                            unconfirmed.add(key);
            }
            catch (error) {
                for (const key of wanted)
                    failed.set(key, asError(error));
            }
        }));
        const singles = new Map();
        return Promise.all(ids.map((id) => {
            const key = idKey(id);
            const hit = found.get(key) ?? failed.get(key);
            if (hit !== undefined)
                return hit;
            if (!unconfirmed.has(key))
                return null;
            let single = singles.get(key);
            if (!single) {
                single = spec.one(id).catch(asError);
                singles.set(key, single);
            }
            return single;
        }));
    }
}
//# sourceMappingURL=index.js.map