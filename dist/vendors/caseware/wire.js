/**
 * Caseware Cloud API v2 payloads as they cross the wire (../shared/vendors.md, "Caseware Cloud"). Shared by
 * the data source and the simulator so that both agree on every field name. PascalCase, as the vendor sends it.
 */
/**
 * Path every route sits under, below `https://{region}.casewarecloud.com` (docs). The firm segment is the
 * customer's, so the gateway needs it in its config alongside the credentials.
 */
export function casewarePrefix(firm) {
    return `/${firm}/ms/caseware-cloud/api/v2`;
}
/** Paging limits. The default is the vendor's; the maximum is our choice (vendors.md names none). */
export const CASEWARE_PAGE_SIZE = { default: 20, max: 100 };
/** A token lives 30 minutes (docs). Refresh a little before this, never after a 401 only. */
export const CASEWARE_TOKEN_TTL_MS = 30 * 60_000;
/** Spring Cloud Gateway's token-bucket headers. The docs warn the values change: read them, never hard-code. */
export const CASEWARE_RATE_HEADERS = {
    burstCapacity: 'x-ratelimit-burst-capacity',
    /** Tokens left after this request; 0 on a 429. */
    remaining: 'x-ratelimit-remaining',
    /** Tokens added back per second. */
    replenishRate: 'x-ratelimit-replenish-rate',
    /** Tokens each request costs. */
    requestedTokens: 'x-ratelimit-requested-tokens',
};
export const CASEWARE_OWNER_TYPES = ['Staff', 'Contact'];
export const CASEWARE_ENTITY_TYPES = ['Company', 'Individual', 'Partnership', 'Trust', 'Charity'];
/** One `search` term with its value quoted as the vendor expects. */
export function casewareSearch(field, op, value) {
    const literal = typeof value === 'string' ? `'${value.replaceAll("'", "''")}'` : String(value);
    return `${field}${op}${literal}`;
}
//# sourceMappingURL=wire.js.map