/**
 * Clinicea authentication. The documented version takes the API key in the `api` header of every call
 * (vendors.md, "Clinicea"), and that is the default. Some API versions instead trade the key, a user name and
 * a password for a token that lives about an hour (observed); `CliniceaTokenAuth` does that login (see wire.ts
 * for the exact calls) and sends the token as the `api_key` query parameter.
 *
 * The login goes straight out through `send()` with the core's fetch, like Caseware's token call: waiting in
 * the rate queue behind the calls that need the token would only delay them. After a 401 the core hands
 * `refreshCredentials` the refused request; the token in its `api_key` parameter tells "replace it" from
 * "someone already did", so a hundred parallel 401s on one stale token cost one login.
 */
import { createHash } from 'node:crypto';
import { UpstreamError, problemForStatus } from "../../upstream/errors.js";
import { buildOutgoing } from "../../upstream/request.js";
import { TokenCache } from "../../upstream/token-cache.js";
import { send } from "../../upstream/transport.js";
import { classifyError } from "./responses.js";
import { CLINICEA_API_KEY_HEADER, CLINICEA_TOKEN_PARAM, CLINICEA_TOKEN_PATH, CLINICEA_TOKEN_TTL_MS, } from "./wire.js";
/** Ask for a new token this long before the current one expires: 5 minutes. */
export const CLINICEA_TOKEN_REFRESH_BEFORE_MS = 5 * 60 * 1000;
/** The login's own timeout, ms: it runs outside the core's per-call timeout. */
const LOGIN_TIMEOUT_MS = 10_000;
const VENDOR = 'clinicea';
export function withApiKey(request, credentials) {
    return {
        ...request,
        headers: { ...request.headers, accept: 'application/json', [CLINICEA_API_KEY_HEADER]: credentials.apiKey },
    };
}
/** `request` carrying `token` in its `api_key` query parameter, and no `api` header. */
export function withToken(request, token) {
    const url = new URL(request.url);
    url.searchParams.set(CLINICEA_TOKEN_PARAM, token);
    return { ...request, url, headers: { ...request.headers, accept: 'application/json' } };
}
/** The token a (refused) request carried, if any: what `TokenCache.refresh` needs after a 401. */
export function tokenOf(request) {
    return request?.url.searchParams.get(CLINICEA_TOKEN_PARAM) ?? undefined;
}
/** Names the key's rate budget without putting the key itself in logs, metrics or Redis keys. */
export function keyId(credentials) {
    return createHash('sha256').update(credentials.apiKey).digest('hex').slice(0, 12);
}
/** Token login, one token per process and credential, refreshed 5 minutes before its hour is up. */
export class CliniceaTokenAuth {
    settings;
    clock;
    fetch;
    tokens;
    requested = 0;
    /** Tokens this process was given, so that none of them leaks into an error message. */
    issued = new Set();
    constructor(settings, clock, 
    /** The core's fetch, so that whatever intercepts API calls sees the login too. */
    fetch) {
        this.settings = settings;
        this.clock = clock;
        this.fetch = fetch;
        this.tokens = new TokenCache(() => this.issue(), clock, { refreshBeforeMs: CLINICEA_TOKEN_REFRESH_BEFORE_MS });
    }
    /** Logins made so far, answered or not. */
    get tokenRequests() {
        return this.requested;
    }
    async authorize(request) {
        return withToken(request, await this.tokens.get());
    }
    /**
     * After a 401. False when the refused request carried no token (the login itself was refused: logging in
     * again cannot help); otherwise replaces the refused token unless another caller already has.
     */
    async refreshCredentials(refused) {
        const stale = tokenOf(refused);
        return stale === undefined ? false : this.tokens.refresh(stale);
    }
    /** Removes every secret this auth knows of from a message that may have echoed one back. */
    redact(message) {
        const secrets = [this.settings.password, this.settings.credentials.apiKey, ...this.issued];
        return secrets.reduce((text, secret) => (secret === '' ? text : text.split(secret).join('[redacted]')), message);
    }
    async issue() {
        this.requested += 1;
        // The token's life starts no later than the request leaves; counting from here errs on the safe side.
        const issuedAt = this.clock.now();
        const query = {
            apiKey: this.settings.credentials.apiKey,
            loginUserName: this.settings.username,
            pwd: this.settings.password,
        };
        const outgoing = buildOutgoing(this.settings.baseUrl, { method: 'GET', path: CLINICEA_TOKEN_PATH, query: { ...query } });
        const response = await send(this.fetch, VENDOR, outgoing, LOGIN_TIMEOUT_MS);
        const token = tokenIn(response.body);
        if (response.status >= 200 && response.status < 300 && token !== undefined) {
            this.issued.add(token);
            return { value: token, expiresAt: issuedAt + CLINICEA_TOKEN_TTL_MS };
        }
        throw this.loginError(response);
    }
    /**
     * A failed login as an upstream error, with the vendor's message but never the key, password or a token.
     * Its shape is fixed, so any 4xx but 429 means the key, user or password was not accepted. A 429 is final:
     * the core would retry it at once, and each retry is one more login; a 5xx may pass, so it is retried.
     */
    loginError(response) {
        const { status } = response;
        if (status >= 200 && status < 300) {
            return new UpstreamError(VENDOR, { kind: 'server_error' }, `Clinicea's ${CLINICEA_TOKEN_PATH} answer held no token`, status);
        }
        const classified = classifyError(response, this.clock.now());
        const detail = `${CLINICEA_TOKEN_PATH} answered ${status}: ${this.redact(classified.message)}`;
        if (status === 429) {
            return new UpstreamError(VENDOR, classified.problem, `Clinicea throttled the token login (${detail})`, status, true);
        }
        if (status >= 400 && status < 500) {
            return new UpstreamError(VENDOR, { kind: 'unauthorized' }, `Clinicea refused the token login (${detail})`, status, true);
        }
        return new UpstreamError(VENDOR, problemForStatus(status), `Clinicea could not issue a token (${detail})`, status);
    }
}
/** `{ "Token": "..." }` as documented in wire.ts; a bare JSON string is read too, as some versions may send. */
function tokenIn(body) {
    const token = typeof body === 'string' ? body : body?.Token;
    return typeof token === 'string' && token !== '' ? token : undefined;
}
//# sourceMappingURL=auth.js.map