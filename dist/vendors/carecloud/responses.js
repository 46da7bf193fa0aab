import { problemForStatus } from "../../upstream/errors.js";
import { startOfNextMonth } from "./quota.js";
import { CARECLOUD_ERROR_MESSAGES, CARECLOUD_ERROR_TYPES, CARECLOUD_HEADERS } from "./wire.js";
/** The shortest back-off after a throttle, so a high configured rate never turns into a tight retry loop. */
export const MIN_THROTTLE_BACKOFF_MS = 100;
/** After a throttle, wait about one token's refill time at the configured rate: API Gateway gives no hint. */
export function throttleBackoffMs(ratePerSecond) {
    return Math.max(MIN_THROTTLE_BACKOFF_MS, Math.ceil(1000 / ratePerSecond));
}
function errorBody(response) {
    const body = response.body;
    if (typeof body !== 'object' || body === null || !('message' in body))
        return undefined;
    return typeof body.message === 'string' ? { message: body.message } : undefined;
}
export function verdictOf(response) {
    const type = response.headers.get(CARECLOUD_HEADERS.errorType) ?? '';
    const message = errorBody(response)?.message;
    // The header may carry a suffix (`Type:http://...`) in some API Gateway answers; the body is the fallback
    // for a proxy that drops the header.
    const is = (kind) => type.startsWith(CARECLOUD_ERROR_TYPES[kind]) || (type === '' && message === CARECLOUD_ERROR_MESSAGES[kind]);
    if (response.status === 429)
        return is('quotaExceeded') ? 'quota_exceeded' : 'throttled';
    if (response.status === 403 && is('missingToken'))
        return 'no_route';
    if (response.status === 403 && is('forbidden'))
        return 'bad_key';
    return 'backend';
}
/**
 * Whether the vendor counted this answer against the monthly quota. API Gateway refuses throttled, over-quota
 * and unauthenticated calls before its usage plan counts them; everything that reached the backend counts.
 */
export function countsAgainstQuota(response) {
    return response.status !== 429 && response.status !== 403;
}
/** Only a throttle says anything about the rate; a quota refusal is the `admit` hook's business, not the queue's. */
export function readRateSignal(response, backoffMs) {
    return response.status === 429 && verdictOf(response) === 'throttled' ? { retryAfterMs: backoffMs } : {};
}
/** Gateway and backend messages are short fixed phrases; anything longer is not ours to show. */
function safeMessage(response) {
    const message = errorBody(response)?.message?.trim();
    return message && message.length <= 200 ? `CareCloud: ${message}` : `CareCloud answered ${response.status}`;
}
export function classifyError(response, now, backoffMs) {
    switch (verdictOf(response)) {
        case 'throttled':
            return { problem: { kind: 'rate_limited', retryAfterMs: backoffMs }, message: 'CareCloud: Too Many Requests' };
        case 'quota_exceeded':
            return quotaRefusal(startOfNextMonth(now));
        case 'bad_key':
            // API Gateway's 403 here means the key is missing or unknown: a credentials problem, so `unauthorized`
            // (UNAUTHENTICATED) says more to an operator than `forbidden` would.
            return { problem: { kind: 'unauthorized' }, message: 'CareCloud refused the API key (403 Forbidden)' };
        case 'no_route':
            // Not a missing file: the gateway has no such route, which means a wrong base URL or stage.
            return {
                problem: { kind: 'forbidden' },
                message: 'CareCloud has no route for this request (403 Missing Authentication Token): check the base URL and stage',
            };
        case 'backend':
            break;
    }
    const message = safeMessage(response);
    if (response.status === 413) {
        return { problem: { kind: 'bad_request', fieldErrors: undefined, vendorCode: 'RequestTooLong' }, message };
    }
    const problem = problemForStatus(response.status);
    if (problem.kind === 'bad_request') {
        const checksum = errorBody(response)?.message === CARECLOUD_ERROR_MESSAGES.checksumMismatch;
        return { problem: { ...problem, vendorCode: checksum ? 'ChecksumMismatch' : undefined }, message };
    }
    return { problem, message };
}
export function quotaRefusal(resetAt) {
    return {
        problem: { kind: 'quota_exhausted', resetAt },
        message: `CareCloud monthly quota is used up until ${new Date(resetAt).toISOString()}`,
    };
}
//# sourceMappingURL=responses.js.map