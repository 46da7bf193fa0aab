import { pathSegment } from "../../upstream/path-segment.js";
import { signRequest } from "./auth.js";
import { CAREHQ_OBJECT_ID } from "./ids.js";
import { fromFundingType, toEnquiry, toEnquiryForm, toUser } from "./mapping.js";
import { CAREHQ_MAX_PER_PAGE, pageParams, toNativePage } from "./pagination.js";
import { classifyError, readRateSignal } from "./responses.js";
import { CAREHQ_PREFIX } from "./wire.js";
import { createHash } from 'node:crypto';
export function normalizeBaseUrl(baseUrl) {
    const url = new URL(baseUrl);
    const path = url.pathname.replace(/\/+$/, '');
    url.pathname = path.endsWith(CAREHQ_PREFIX) ? `${path}/` : `${path}${CAREHQ_PREFIX}/`;
    return url.toString();
}
export function careHqAdapter(options, clock) {
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
export class CareHqSource {
    client;
    userBatchSize;
    cacheTtlMs;
    constructor(client, options = {}) {
        this.client = client;
        this.cacheTtlMs = options.cacheTtlMs ?? 5000;
        this.userBatchSize = options.userBatchSize ?? CAREHQ_MAX_PER_PAGE;
    }
    static create(core, options) {
        return new CareHqSource(core.client(careHqAdapter(options, core.clock)), options);
    }
    get upstream() {
        return this.client;
    }
    enquiries(filter, call) {
        const query = {
            sort_by: '_id',
            'filters-q': filter.search,
            'filters-funding_type': filter.fundingType ? fromFundingType(filter.fundingType) : undefined,
            'filters-assigned_to': filter.assigneeId,
        };
        return {
            pageSize: CAREHQ_MAX_PER_PAGE,
            page: async (index) => {
                const page = await this.client.request({ method: 'GET', path: 'care-enquiries', query: { ...query, ...pageParams(index) }, cacheTtlMs: this.cacheTtlMs, operation: 'listEnquiries' }, call);
                return toNativePage(page, toEnquiry);
            },
        };
    }
    async enquiry(id, call) {
        // No CareHQ record has such an id, so there is nothing to ask (and no URL to build from it).
        if (!CAREHQ_OBJECT_ID.test(id))
            return null;
        const record = await this.client.requestOrNull({ method: 'GET', path: `care-enquiries/${pathSegment(id)}`, cacheTtlMs: this.cacheTtlMs, operation: 'getEnquiry' }, call);
        return record ? toEnquiry(record) : null;
    }
    /** Many enquiries by id, in key order; each a separate GET (CareHQ has no multi-get for enquiries). */
    enquiriesByIds(ids, call) {
        return Promise.all(ids.map((id) => this.enquiry(id, call).catch((error) => error)));
    }
    /**
     * Users by id, in key order, null for unknown ids. One call per batch through `filters-ids`; any id the
     * answer lacks (a server that ignores the filter, a deleted user) is then fetched on its own.
     */
    async usersByIds(ids, call) {
        const found = new Map();
        for (let start = 0; start < ids.length; start += this.userBatchSize) {
            const chunk = ids.slice(start, start + this.userBatchSize);
            const page = await this.client.request({
                method: 'GET',
                path: 'users',
                query: { 'filters-ids': chunk, per_page: CAREHQ_MAX_PER_PAGE, page: 1 },
                cacheTtlMs: this.cacheTtlMs,
                operation: 'getUsers',
            }, call);
            for (const record of page.items)
                if (chunk.includes(record._id))
                    found.set(record._id, toUser(record));
        }
        return Promise.all(ids.map(async (id) => {
            const user = found.get(id);
            if (user)
                return user;
            return this.user(id, call).catch((error) => error);
        }));
    }
    async user(id, call) {
        if (!CAREHQ_OBJECT_ID.test(id))
            return null;
        const record = await this.client.requestOrNull({ method: 'GET', path: `users/${pathSegment(id)}`, cacheTtlMs: this.cacheTtlMs, operation: 'getUser' }, call);
        return record ? toUser(record) : null;
    }
    users(call) {
        return {
            pageSize: CAREHQ_MAX_PER_PAGE,
            page: async (index) => {
                const page = await this.client.request({ method: 'GET', path: 'users', query: { sort_by: '_id', ...pageParams(index) }, cacheTtlMs: this.cacheTtlMs, operation: 'listUsers' }, call);
                return toNativePage(page, toUser);
            },
        };
    }
    /** `PUT care-enquiries` creates: not idempotent, so it is retried only after a 429, never after a 5xx. */
    async createEnquiry(input, call) {
        const record = await this.client.request({ method: 'PUT', path: 'care-enquiries', form: toEnquiryForm(input), idempotent: false, operation: 'createEnquiry' }, call);
        this.client.invalidate();
        return toEnquiry(record);
    }
}
//# sourceMappingURL=index.js.map