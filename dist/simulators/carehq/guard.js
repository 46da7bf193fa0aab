/**
 * Who may call and how often: the account id and API key, the request signature (./signature.ts), then a
 * per-key limit of N requests per one-second window, reported in X-CareHQ-RateLimit-* headers.
 */
import { CAREHQ_AUTH_HEADERS, CAREHQ_RATE_HEADERS } from "../../vendors/carehq/wire.js";
import { rateLimited, unauthorized } from "./answers.js";
import { NonceLedger, header, verifyCareHqSignature } from "./signature.js";
export function createCareHqGuard(settings, limits) {
    const { credentials, clock } = settings;
    const windows = new FixedWindows(limits, clock);
    const nonces = new NonceLedger();
    const guard = (req) => {
        const accountId = header(req.headers, CAREHQ_AUTH_HEADERS.accountId);
        const apiKey = header(req.headers, CAREHQ_AUTH_HEADERS.apiKey);
        if (!accountId || !apiKey)
            return unauthorized('Missing X-CareHQ-AccountId or X-CareHQ-APIKey header.');
        if (accountId !== credentials.accountId || apiKey !== credentials.apiKey) {
            return unauthorized('Unknown account id or API key.');
        }
        const verdict = verifyCareHqSignature({ method: req.method, path: req.path, params: signedParams(req), headers: req.headers }, { secret: credentials.apiSecret, nowSeconds: clock() / 1000, toleranceSeconds: settings.timestampToleranceSeconds, nonces });
        if (verdict.kind === 'rejected')
            return unauthorized(verdict.hint);
        return windows.take(apiKey) ? undefined : rateLimited();
    };
    return {
        guard,
        decorate: (req) => {
            const apiKey = header(req.headers, CAREHQ_AUTH_HEADERS.apiKey);
            return apiKey === credentials.apiKey ? windows.headers(apiKey) : {};
        },
    };
}
/** Fixed one-second windows per API key (window = floor(clock / 1000)), as the vendor documents. */
class FixedWindows {
    limits;
    clock;
    used = new Map();
    constructor(limits, clock) {
        this.limits = limits;
        this.clock = clock;
    }
    /** Counts one request; false when it is over the limit. */
    take(key) {
        const state = this.current(key);
        state.count += 1;
        return state.count <= this.limits.perSecond;
    }
    headers(key) {
        const state = this.current(key);
        return {
            [CAREHQ_RATE_HEADERS.limit]: String(this.limits.perSecond),
            [CAREHQ_RATE_HEADERS.remaining]: String(Math.max(0, this.limits.perSecond - state.count)),
            [CAREHQ_RATE_HEADERS.reset]: String(state.window + 1),
        };
    }
    current(key) {
        const window = Math.floor(this.clock() / 1000);
        let state = this.used.get(key);
        if (!state || state.window !== window) {
            state = { window, count: 0 };
            this.used.set(key, state);
        }
        return state;
    }
}
/** The query for GET, the form body otherwise: what both signature schemes cover. */
function signedParams(req) {
    const source = req.method === 'GET' ? req.query : new URLSearchParams(req.rawBody.toString('utf8'));
    return [...source];
}
//# sourceMappingURL=guard.js.map