/**
 * CareCloud authenticates every call with one header, `x-api-key` (vendors.md, "CareCloud"). The key never
 * appears anywhere else: budgets and logs name it by a short hash.
 */
import { createHash } from 'node:crypto';
import { CARECLOUD_HEADERS } from "./wire.js";
export function withApiKey(request, credentials) {
    return { ...request, headers: { ...request.headers, [CARECLOUD_HEADERS.apiKey]: credentials.apiKey } };
}
/** Names a key without revealing it: API Gateway's usage plans (rate, burst, quota) are per key. */
export function apiKeyId(credentials) {
    return createHash('sha256').update(credentials.apiKey).digest('hex').slice(0, 12);
}
//# sourceMappingURL=auth.js.map