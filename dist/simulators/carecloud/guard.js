/**
 * Who may call and how often, in API Gateway's order: the route must exist, then the `x-api-key` must be known,
 * then the key's usage plan (./limits.ts) must admit the call.
 */
import { randomUUID } from 'node:crypto';
import { CARECLOUD_HEADERS } from "../../vendors/carecloud/wire.js";
import { forbidden, gatewayError, header, missingToken } from "./answers.js";
export function createCareCloudGuard(router, apiKeys, limiter) {
    // Requests the limiter counted, so that an injected 429 (which the guard cannot see coming) is refunded: the
    // gateway never counts a throttled call against the quota. Keyed by the headers object, the one thing the
    // guard and decorate hooks share for a request.
    const counted = new WeakMap();
    return {
        guard: (req) => {
            // API Gateway matches the route before it looks at the key, so an unknown path never says Forbidden.
            if (!router.match(req.method, req.path))
                return missingToken();
            const apiKey = header(req, CARECLOUD_HEADERS.apiKey);
            if (apiKey === undefined || !apiKeys.has(apiKey))
                return forbidden();
            const admission = limiter.admit(apiKey);
            switch (admission.kind) {
                case 'quota_exceeded':
                    return gatewayError(429, 'quotaExceeded');
                case 'throttled':
                    return gatewayError(429, 'throttled');
                case 'allowed':
                    counted.set(req.headers, { apiKey, month: admission.month });
                    return undefined;
            }
        },
        decorate: (req, res) => {
            const admitted = counted.get(req.headers);
            counted.delete(req.headers);
            if (admitted && res.status === 429)
                limiter.refund(admitted.apiKey, admitted.month);
            return { 'x-amzn-RequestId': randomUUID() };
        },
    };
}
//# sourceMappingURL=guard.js.map