import { countByProbing, pageOnce } from "../../upstream/paging.js";
import { pathSegment } from "../../upstream/path-segment.js";
import { CliniceaTokenAuth, keyId, withApiKey } from "./auth.js";
import { CLINICEA_LEAD_ID } from "./ids.js";
import { toLead, toLeadListQuery } from "./mapping.js";
import { CLINICEA_PAGE_SIZE, pageNumber, toNativePage } from "./pagination.js";
import { RateLearner, classifyError } from "./responses.js";
import { CLINICEA_FIRST_PAGE_NUMBER, CLINICEA_PREFIX } from "./wire.js";
const DEFAULTS = Object.freeze({
    auth: Object.freeze({ kind: 'header' }),
    requestsPerSecond: 5,
    firstPageNumber: CLINICEA_FIRST_PAGE_NUMBER,
    cacheTtlMs: 5000,
});
/** Validates once and merges the defaults; messages never repeat the key or the password. */
export function cliniceaSettings(options) {
    const problems = [];
    const baseUrl = normalizeBaseUrl(options.baseUrl, problems);
    const apiKey = options.credentials?.apiKey;
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
    const auth = checkAuth(merged.auth, problems);
    if (problems.length > 0)
        throw new Error(`Clinicea options: ${problems.join('; ')}`);
    return Object.freeze({ ...merged, auth, baseUrl, credentials: Object.freeze({ apiKey: apiKey }) });
}
function checkAuth(auth, problems) {
    const kind = auth.kind;
    if (kind === 'header')
        return DEFAULTS.auth;
    if (kind !== 'token') {
        problems.push(`expected auth.kind to be 'header' or 'token', got ${JSON.stringify(kind) ?? 'nothing'}`);
        return auth;
    }
    const { username, password } = auth;
    for (const [name, value] of [['username', username], ['password', password]]) {
        if (typeof value !== 'string' || value.trim() === '') {
            problems.push(`expected auth.${name} to be a non-empty string for token login, got ${typeof value === 'string' ? 'an empty string' : 'nothing'}`);
        }
    }
    return Object.freeze({ kind, username: String(username), password: String(password) });
}
function normalizeBaseUrl(baseUrl, problems) {
    let url;
    try {
        url = new URL(String(baseUrl));
    }
    catch {
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
 * whatever intercepts API calls sees the login too.
 */
export function cliniceaAdapter(options, clock, fetchImpl = (input, init) => fetch(input, init)) {
    const settings = cliniceaSettings(options);
    const rate = new RateLearner(settings.requestsPerSecond);
    const common = {
        vendor: 'clinicea',
        baseUrl: settings.baseUrl,
        // Per key in both modes: the key is what the vendor's rate limit counts (vendors.md).
        budgetKey: `clinicea:${keyId(settings.credentials)}`,
        rateSpec: { kind: 'window', limit: settings.requestsPerSecond, windowMs: 1000 },
        readRateSignal: (response, now) => rate.read(response, now),
    };
    if (settings.auth.kind === 'header') {
        return { ...common, authorize: (request) => withApiKey(request, settings.credentials), classifyError };
    }
    const auth = new CliniceaTokenAuth({ ...settings, ...settings.auth }, clock, fetchImpl);
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
export class CliniceaSource {
    client;
    clock;
    firstPageNumber;
    cacheTtlMs;
    /** Counts per wire query, shared by concurrent callers while in flight and kept `cacheTtlMs` after. */
    counts = new Map();
    constructor(client, clock, options = {}) {
        this.client = client;
        this.clock = clock;
        this.firstPageNumber = options.firstPageNumber ?? DEFAULTS.firstPageNumber;
        this.cacheTtlMs = options.cacheTtlMs ?? DEFAULTS.cacheTtlMs;
    }
    static create(core, options) {
        const settings = cliniceaSettings(options);
        return new CliniceaSource(core.client(cliniceaAdapter(settings, core.clock, core.fetch)), core.clock, settings);
    }
    get upstream() {
        return this.client;
    }
    /**
     * Leads matching `query`, 100 per page. With `changedSince`, an incremental sync: what was added, modified
     * or deleted since (deletions as tombstones), possibly with a second or two of overlap (see sync.ts).
     * Throws a bad_request UpstreamError, without calling the vendor, for dates it would refuse.
     */
    leads(query, call) {
        const wire = toLeadListQuery(query);
        const records = pageOnce(async (index) => {
            const body = await this.client.request({
                method: 'GET',
                path: 'leads',
                query: { ...wire, intPageNo: pageNumber(index, this.firstPageNumber) },
                cacheTtlMs: this.cacheTtlMs,
                operation: 'listLeads',
            }, call);
            return toNativePage(body, (record) => record);
        });
        return {
            pageSize: CLINICEA_PAGE_SIZE,
            page: async (index) => {
                const { items } = await records(index);
                return { items: items.map(toLead) };
            },
            // The probe shares the response cache with `page`, so counting after a walk costs little.
            count: () => this.countOnce(wire, () => countByProbing(records, CLINICEA_PAGE_SIZE)),
        };
    }
    /** One lead by id (`GET leads/{id}`); null when Clinicea has no such lead. */
    async lead(id, call) {
        if (!CLINICEA_LEAD_ID.test(id))
            return null;
        const record = await this.client.requestOrNull({ method: 'GET', path: `leads/${pathSegment(id)}`, cacheTtlMs: this.cacheTtlMs, operation: 'getLead' }, call);
        return record ? toLead(record) : null;
    }
    /**
     * Leads by id, in key order: null for an unknown id, the Error for one that failed. Clinicea has no
     * multi-get, so each distinct id is one GET (the rate queue paces them).
     */
    async leadsByIds(ids, call) {
        const unique = [...new Set(ids)];
        const results = await Promise.all(unique.map((id) => this.lead(id, call).catch((error) => toError(error))));
        const byId = new Map(unique.map((id, i) => [id, results[i] ?? null]));
        return ids.map((id) => byId.get(id) ?? null);
    }
    countOnce(wire, compute) {
        const now = this.clock.now();
        for (const [key, entry] of this.counts)
            if (entry.expiresAt <= now)
                this.counts.delete(key);
        const key = JSON.stringify([wire.startRange, wire.endRange, wire.lastSyncTimestamp]);
        const cached = this.counts.get(key);
        if (cached)
            return cached.promise;
        const entry = { promise: compute(), expiresAt: Number.POSITIVE_INFINITY };
        this.counts.set(key, entry);
        entry.promise.then(() => {
            entry.expiresAt = this.clock.now() + this.cacheTtlMs;
        }, () => {
            // A failed count is not remembered: the next caller tries again.
            if (this.counts.get(key) === entry)
                this.counts.delete(key);
        });
        return entry.promise;
    }
}
function toError(error) {
    return error instanceof Error ? error : new Error(String(error));
}
function definedOnly(value) {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
//# sourceMappingURL=index.js.map