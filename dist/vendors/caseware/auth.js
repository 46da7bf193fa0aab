import { UpstreamError, problemForStatus } from "../../upstream/errors.js";
import { buildOutgoing } from "../../upstream/request.js";
import { TokenCache, bearerOf, withBearer } from "../../upstream/token-cache.js";
import { send } from "../../upstream/transport.js";
import { VENDOR, firstErrorMessage } from "./responses.js";
import { CASEWARE_TOKEN_TTL_MS } from "./wire.js";
export class CasewareAuth {
    settings;
    clock;
    fetch;
    tokens;
    requested = 0;
    constructor(settings, clock, 
    /** The core's fetch, so that whatever intercepts API calls sees token calls too. */
    fetch) {
        this.settings = settings;
        this.clock = clock;
        this.fetch = fetch;
        this.tokens = new TokenCache(() => this.issue(), clock, { refreshBeforeMs: settings.tokenRefreshBeforeMs });
    }
    /** Token requests made so far, answered or not. */
    get tokenRequests() {
        return this.requested;
    }
    async authorize(request) {
        return withBearer(request, await this.tokens.get());
    }
    /**
     * After a 401. False when no request carried a token (the token request itself was refused: asking again
     * cannot help); otherwise replaces the refused token unless another caller already has, and throws the
     * token endpoint's error when that fails (a reset secret ends every session, docs).
     */
    async refreshCredentials(refused) {
        const stale = bearerOf(refused);
        return stale === undefined ? false : this.tokens.refresh(stale);
    }
    async issue() {
        this.requested += 1;
        const { baseUrl, credentials, language, tokenTimeoutMs } = this.settings;
        // The token's life starts no later than the request leaves; counting from here errs on the safe side.
        const issuedAt = this.clock.now();
        const body = {
            ClientId: credentials.clientId,
            ClientSecret: credentials.clientSecret,
            Language: language,
        };
        const outgoing = buildOutgoing(baseUrl, { method: 'POST', path: 'auth/token', json: body });
        const response = await send(this.fetch, VENDOR, outgoing, tokenTimeoutMs);
        const token = response.body?.Token;
        if (response.status >= 200 && response.status < 300 && typeof token === 'string' && token !== '') {
            return { value: token, expiresAt: issuedAt + CASEWARE_TOKEN_TTL_MS };
        }
        throw tokenError(response, credentials.clientSecret);
    }
}
/**
 * A failed `auth/token` as an upstream error. The request's shape is fixed, so any 4xx but 429 means the
 * credentials were not accepted. A 429 is marked final: the endpoint is documented as unthrottled, and the
 * core retries 429s without backoff, which here would hammer it.
 */
export function tokenError(response, secret) {
    const said = redact(firstErrorMessage(response.body), secret);
    const detail = `auth/token answered ${response.status}${said ? `: ${said}` : ''}`;
    const { status } = response;
    if (status >= 200 && status < 300) {
        return new UpstreamError(VENDOR, { kind: 'server_error' }, `Caseware's auth/token answer held no token`, status);
    }
    if (status === 429) {
        return new UpstreamError(VENDOR, { kind: 'rate_limited', retryAfterMs: 1000 }, `Caseware throttled the token request (${detail})`, status, true);
    }
    if (status >= 400 && status < 500) {
        return new UpstreamError(VENDOR, { kind: 'unauthorized' }, `Caseware refused the API client credentials (${detail})`, status);
    }
    return new UpstreamError(VENDOR, problemForStatus(status), `Caseware could not issue a token (${detail})`, status);
}
/** A vendor that echoed the secret back must not get it into our errors or logs. */
function redact(message, secret) {
    return message === undefined || secret === '' ? message : message.split(secret).join('[redacted]');
}
//# sourceMappingURL=auth.js.map