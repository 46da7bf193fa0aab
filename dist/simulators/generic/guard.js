/**
 * Who may call and how often: a live bearer token from the token endpoint, then a fixed window per OAuth
 * client (./ratelimit.ts), reported on every answer in the configured header style.
 */
import { GENERIC_TOKEN_PATH } from "../../vendors/generic/wire.js";
import { fail, rateLimited } from "./answers.js";
import { FixedWindowLimiter, rateLimitHeaders, secondsUntilReset } from "./ratelimit.js";
export function createGenericGuard(settings, store) {
    const { clock, limits } = settings;
    const limiter = new FixedWindowLimiter(limits, clock);
    /** The client behind a live bearer token, or why there is none. */
    function authenticate(req) {
        const header = req.headers.authorization ?? '';
        const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
        if (!match?.[1])
            return { refusal: 'missing bearer token: send Authorization: Bearer <access_token>' };
        const token = store.tokens.get(match[1]);
        if (!token)
            return { refusal: 'unknown access token' };
        if (clock() >= token.expiresAt)
            return { refusal: 'access token expired: request a new one' };
        return { clientId: token.clientId };
    }
    function clientOf(req) {
        const auth = authenticate(req);
        // The guard has already refused requests without a live token, so this only trips if the clock moved.
        if (!('clientId' in auth))
            throw new Error(auth.refusal);
        return auth.clientId;
    }
    return {
        clientOf,
        guard: (req) => {
            if (req.path === GENERIC_TOKEN_PATH)
                return undefined;
            const auth = authenticate(req);
            if ('refusal' in auth) {
                return {
                    ...fail(401, 'UNAUTHORIZED', auth.refusal),
                    headers: { 'www-authenticate': 'Bearer realm="generic-api", error="invalid_token"' },
                };
            }
            const decision = limiter.take(auth.clientId);
            if (decision.kind === 'limited')
                return rateLimited();
            return undefined;
        },
        // Rate-limit headers go on every answer to a known client, 429s included, in the configured style.
        decorate: (req, res) => {
            const auth = req.path === GENERIC_TOKEN_PATH ? undefined : authenticate(req);
            if (!auth || !('clientId' in auth)) {
                return res.status === 429 ? { 'retry-after': String(Math.max(1, Math.ceil(limits.windowSeconds))) } : {};
            }
            const view = limiter.peek(auth.clientId);
            const shown = res.status === 429 ? { ...view, remaining: 0 } : view;
            const headers = rateLimitHeaders(limits.headerStyle, shown);
            if (res.status === 429)
                headers['retry-after'] = String(secondsUntilReset(view));
            return headers;
        },
    };
}
//# sourceMappingURL=guard.js.map