/**
 * The Caseware data source's options: documented defaults in one object, checked once at construction with
 * messages that say what was expected and what arrived. The client secret is never echoed.
 */
import { CASEWARE_PAGE_SIZE, CASEWARE_TOKEN_TTL_MS } from "./wire.js";
export const CASEWARE_DEFAULTS = Object.freeze({
    language: 'en',
    bucket: Object.freeze({ capacity: 20, refillPerSecond: 10 }),
    cacheTtlMs: 5000,
    userBatchSize: 50,
    pageSize: CASEWARE_PAGE_SIZE.max,
    tokenRefreshBeforeMs: 60_000,
    tokenTimeoutMs: 10_000,
});
const show = (value) => (typeof value === 'string' ? JSON.stringify(value) : String(value));
/** Validates and fills in defaults; throws one error naming every problem. */
export function casewareSettings(options) {
    const problems = [];
    const check = (ok, what, got) => {
        if (!ok)
            problems.push(`expected ${what}, got ${got}`);
    };
    const wholeIn = (value, min, max) => Number.isInteger(value) && value >= min && value <= max;
    let baseUrl = '';
    try {
        const url = new URL(options.baseUrl);
        check(url.protocol === 'https:' || url.protocol === 'http:', 'baseUrl to be an http(s) URL', show(options.baseUrl));
        baseUrl = url.toString().endsWith('/') ? url.toString() : `${url.toString()}/`;
    }
    catch {
        check(false, 'baseUrl to be a URL like https://us.casewarecloud.com/firm/ms/caseware-cloud/api/v2/', show(options.baseUrl));
    }
    const credentials = options.credentials;
    const clientId = credentials?.clientId;
    const clientSecret = credentials?.clientSecret;
    check(typeof clientId === 'string' && clientId !== '', 'credentials.clientId to be a non-empty string', show(clientId));
    check(typeof clientSecret === 'string' && clientSecret !== '', 'credentials.clientSecret to be a non-empty string', 
    // The value itself may be a real secret with a typo: say only what kind of thing arrived.
    clientSecret === '' ? 'an empty string' : typeof clientSecret);
    const language = options.language ?? CASEWARE_DEFAULTS.language;
    check(typeof language === 'string' && language !== '', 'language to be a non-empty string', show(language));
    const bucket = options.bucket ?? CASEWARE_DEFAULTS.bucket;
    check(Number.isFinite(bucket.capacity) && bucket.capacity > 0, 'bucket.capacity to be above 0', show(bucket.capacity));
    check(Number.isFinite(bucket.refillPerSecond) && bucket.refillPerSecond > 0, 'bucket.refillPerSecond to be above 0', show(bucket.refillPerSecond));
    const cacheTtlMs = options.cacheTtlMs ?? CASEWARE_DEFAULTS.cacheTtlMs;
    check(Number.isFinite(cacheTtlMs) && cacheTtlMs >= 0, 'cacheTtlMs to be 0 or more', show(cacheTtlMs));
    const max = CASEWARE_PAGE_SIZE.max;
    const userBatchSize = options.userBatchSize ?? CASEWARE_DEFAULTS.userBatchSize;
    check(wholeIn(userBatchSize, 1, max), `userBatchSize to be a whole number from 1 to ${max}`, show(userBatchSize));
    const pageSize = options.pageSize ?? CASEWARE_DEFAULTS.pageSize;
    check(wholeIn(pageSize, 1, max), `pageSize to be a whole number from 1 to ${max}`, show(pageSize));
    const tokenRefreshBeforeMs = options.tokenRefreshBeforeMs ?? CASEWARE_DEFAULTS.tokenRefreshBeforeMs;
    check(Number.isFinite(tokenRefreshBeforeMs) && tokenRefreshBeforeMs >= 0 && tokenRefreshBeforeMs < CASEWARE_TOKEN_TTL_MS, `tokenRefreshBeforeMs to be 0 or more and under the token's life of ${CASEWARE_TOKEN_TTL_MS} ms`, show(tokenRefreshBeforeMs));
    const tokenTimeoutMs = options.tokenTimeoutMs ?? CASEWARE_DEFAULTS.tokenTimeoutMs;
    check(Number.isFinite(tokenTimeoutMs) && tokenTimeoutMs > 0, 'tokenTimeoutMs to be above 0', show(tokenTimeoutMs));
    if (problems.length > 0)
        throw new Error(`Caseware options: ${problems.join('; ')}`);
    return Object.freeze({
        baseUrl,
        credentials: Object.freeze({ clientId: clientId, clientSecret: clientSecret }),
        language,
        bucket: Object.freeze({ capacity: bucket.capacity, refillPerSecond: bucket.refillPerSecond }),
        cacheTtlMs,
        userBatchSize,
        pageSize,
        tokenRefreshBeforeMs,
        tokenTimeoutMs,
    });
}
//# sourceMappingURL=options.js.map