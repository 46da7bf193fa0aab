const BEARER = 'Bearer ';
/** `request` carrying `token` as its bearer credential. */
export function withBearer(request, token) {
    return { ...request, headers: { ...request.headers, authorization: `${BEARER}${token}` } };
}
/** The bearer token a (refused) request carried, if any: what `TokenCache.refresh` needs after a 401. */
export function bearerOf(request) {
    const header = request?.headers.authorization;
    return header !== undefined && header.startsWith(BEARER) ? header.slice(BEARER.length) : undefined;
}
export class TokenCache {
    issue;
    clock;
    current;
    pending;
    refreshBeforeMs;
    constructor(issue, clock, options = {}) {
        this.issue = issue;
        this.clock = clock;
        this.refreshBeforeMs = options.refreshBeforeMs ?? 60_000;
    }
    /** A token valid for at least `refreshBeforeMs` more, fetching one if needed. */
    async get() {
        const token = this.current;
        if (token && token.expiresAt - this.refreshBeforeMs > this.clock.now())
            return token.value;
        return (await this.fetch()).value;
    }
    /**
     * After a 401 with `stale`: fetch a new token unless someone already replaced it. Resolves true when the
     * caller should try once more with the (new) current token.
     */
    async refresh(stale) {
        if (this.current && this.current.value !== stale)
            return true;
        this.current = undefined;
        await this.fetch();
        return true;
    }
    /** Forget the token (e.g. credentials rotated). */
    clear() {
        this.current = undefined;
    }
    fetch() {
        this.pending ??= this.issue()
            .then((token) => {
            this.current = token;
            return token;
        })
            .finally(() => {
            this.pending = undefined;
        });
        return this.pending;
    }
}
//# sourceMappingURL=token-cache.js.map