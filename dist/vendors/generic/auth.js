import { UpstreamError, isProblem } from "../../upstream/errors.js";
import { TokenCache, bearerOf, withBearer } from "../../upstream/token-cache.js";
import { send } from "../../upstream/transport.js";
import { classifyError } from "./responses.js";
/** `expires_in` is only RECOMMENDED (RFC 6749 5.1): without it, assume a short life and let a 401 correct us. */
const DEFAULT_EXPIRES_IN_SECONDS = 300;
/**
 * A refused client is remembered this long: a misconfigured gateway would otherwise ask the token endpoint
 * once per GraphQL field, and the answer will not change until someone fixes the credentials.
 */
const REFUSAL_MEMORY_MS = 10_000;
const VENDOR = 'generic';
/** `application/x-www-form-urlencoded` each part before Basic-encoding, as RFC 6749 2.3.1 asks. */
export function basicAuthorization(credentials) {
    const encode = (s) => encodeURIComponent(s).replace(/%20/g, '+');
    const pair = `${encode(credentials.clientId)}:${encode(credentials.clientSecret)}`;
    return `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
}
function tokenRequest(tokenUrl, credentials) {
    return {
        method: 'POST',
        url: tokenUrl,
        path: tokenUrl.pathname,
        params: [['grant_type', 'client_credentials']],
        headers: {
            accept: 'application/json',
            'content-type': 'application/x-www-form-urlencoded',
            authorization: basicAuthorization(credentials),
        },
        body: 'grant_type=client_credentials',
    };
}
function readToken(body, now) {
    if (typeof body !== 'object' || body === null)
        return undefined;
    const { access_token: value, expires_in: expiresIn, token_type: type } = body;
    if (typeof value !== 'string' || value === '')
        return undefined;
    if (typeof type === 'string' && type.toLowerCase() !== 'bearer')
        return undefined;
    const seconds = typeof expiresIn === 'number' && expiresIn > 0 ? expiresIn : DEFAULT_EXPIRES_IN_SECONDS;
    return { value, expiresAt: now + seconds * 1000 };
}
/** The bearer token for one client: fetched on first use, refreshed before expiry and once after a 401. */
export class GenericTokens {
    options;
    cache;
    tokenUrl;
    refused;
    requests = 0;
    constructor(options) {
        this.options = options;
        this.tokenUrl = new URL(options.tokenUrl);
        this.cache = new TokenCache(() => this.issue(), options.clock, { refreshBeforeMs: options.refreshBeforeMs });
    }
    /** Calls made to the token endpoint, refused ones included. */
    get tokenRequests() {
        return this.requests;
    }
    /** `request` with a live bearer token; concurrent callers share one token request. */
    async authorize(request) {
        return withBearer(request, await this.cache.get());
    }
    /**
     * The core's one refresh after the vendor refused `rejected` with a 401. Resolves false when a new token
     * cannot help: the call carried none (the token request itself failed) or the client was just refused.
     * Only the first 401 on a given token fetches a new one, so a hundred parallel 401s cost one token request.
     */
    async refreshAfterUnauthorized(rejected) {
        const stale = bearerOf(rejected);
        if (stale === undefined)
            return false;
        if (this.refused && this.options.clock.now() < this.refused.until)
            return false;
        return this.cache.refresh(stale);
    }
    async issue() {
        const { clock } = this.options;
        const refused = this.refused;
        // A fresh error each time: one shared instance would carry the first caller's stack to every other.
        if (refused && clock.now() < refused.until) {
            const { error } = refused;
            throw new UpstreamError(VENDOR, error.problem, error.message, error.status, true);
        }
        this.requests += 1;
        const response = await send(this.options.fetch, VENDOR, tokenRequest(this.tokenUrl, this.options.credentials), this.options.timeoutMs);
        const now = clock.now();
        if (response.status < 200 || response.status >= 300) {
            const classified = classifyError(response, now);
            const error = new UpstreamError(VENDOR, classified.problem, `token request refused: ${classified.message}`, response.status);
            if (isProblem(error, 'unauthorized'))
                this.refused = { until: now + REFUSAL_MEMORY_MS, error };
            throw error;
        }
        const token = readToken(response.body, now);
        if (!token) {
            throw new UpstreamError(VENDOR, { kind: 'server_error' }, 'the token endpoint answered without a usable bearer token', response.status);
        }
        this.refused = undefined;
        return token;
    }
}
//# sourceMappingURL=auth.js.map