import { CASEWARE_RATE_HEADERS } from "../../vendors/caseware/wire.js";
import { error } from "./answers.js";
export function createCasewareGuard(clock, limits, stats, authenticate) {
    const buckets = new Map();
    // http.ts hands guard and decorate the same headers object for one request, so this carries the bucket's
    // answer from the guard to the response even when other requests interleave (latency faults).
    const rateHeadersFor = new WeakMap();
    /** Spring Cloud Gateway's Redis token bucket: refill by elapsed time, cap at capacity, then take. */
    function take(clientId) {
        const now = clock();
        const bucket = buckets.get(clientId) ?? { tokens: limits.burstCapacity, at: now };
        const elapsedSeconds = Math.max(0, now - bucket.at) / 1000;
        const filled = Math.min(limits.burstCapacity, bucket.tokens + elapsedSeconds * limits.replenishRate);
        const allowed = filled >= limits.requestedTokens;
        const tokens = allowed ? filled - limits.requestedTokens : filled;
        buckets.set(clientId, { tokens, at: now });
        return { allowed, remaining: Math.max(0, Math.floor(tokens)) };
    }
    return {
        guard: (req) => {
            if (req.path === 'auth/token') {
                if (req.method === 'POST')
                    stats.tokenRequests += 1;
                return undefined;
            }
            const session = authenticate(req.headers);
            if (typeof session === 'string') {
                return { ...error(401, session), headers: { 'www-authenticate': 'Bearer' } };
            }
            const { allowed, remaining } = take(session.clientId);
            rateHeadersFor.set(req.headers, rateHeaders(limits, remaining));
            // Spring Cloud Gateway answers an empty bucket with a bare 429: no body, no Retry-After.
            return allowed ? undefined : { status: 429 };
        },
        decorate: (req) => rateHeadersFor.get(req.headers) ?? {},
        rateLimited: () => ({ status: 429, headers: rateHeaders(limits, 0) }),
    };
}
function rateHeaders(limits, remaining) {
    return {
        [CASEWARE_RATE_HEADERS.burstCapacity]: String(limits.burstCapacity),
        [CASEWARE_RATE_HEADERS.remaining]: String(remaining),
        [CASEWARE_RATE_HEADERS.replenishRate]: String(limits.replenishRate),
        [CASEWARE_RATE_HEADERS.requestedTokens]: String(limits.requestedTokens),
    };
}
//# sourceMappingURL=guard.js.map