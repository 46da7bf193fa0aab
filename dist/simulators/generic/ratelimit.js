/**
 * The Generic OAuth2 API's rate limit: a fixed window per OAuth client, and the several ways vendors of this
 * kind report it (vendors.md: Reset "in the wild" as epoch seconds, epoch ms or a delta, plus the IETF
 * fields). The limits object is read on every request, so tests and demos can change it while running.
 */
import { GENERIC_IETF_DRAFT_RATE_HEADERS, GENERIC_IETF_RATE_HEADERS, GENERIC_RATE_HEADERS, } from "../../vendors/generic/wire.js";
export const GENERIC_HEADER_STYLES = ['epoch-seconds', 'delta-seconds', 'epoch-ms', 'ietf', 'ietf-draft'];
export const DEFAULT_GENERIC_LIMITS = Object.freeze({
    limit: 50,
    windowSeconds: 10,
    headerStyle: 'epoch-seconds',
});
export class FixedWindowLimiter {
    limits;
    clock;
    windows = new Map();
    constructor(limits, clock) {
        this.limits = limits;
        this.clock = clock;
    }
    /** Spends one request for `clientId` if the window has room; a refused request spends nothing. */
    take(clientId) {
        const state = this.current(clientId);
        if (state.used >= this.limits.limit)
            return { kind: 'limited', view: this.view(state) };
        state.used += 1;
        return { kind: 'allowed', view: this.view(state) };
    }
    /** The client's standing without spending anything: for headers on answers already counted. */
    peek(clientId) {
        return this.view(this.current(clientId));
    }
    current(clientId) {
        const now = this.clock();
        const lengthMs = Math.max(1, this.limits.windowSeconds * 1000);
        const start = Math.floor(now / lengthMs) * lengthMs;
        const existing = this.windows.get(clientId);
        // A changed window length starts a fresh window, so a live change takes effect at once.
        if (existing && existing.start === start && existing.lengthMs === lengthMs)
            return existing;
        const fresh = { start, lengthMs, used: 0 };
        this.windows.set(clientId, fresh);
        return fresh;
    }
    view(state) {
        return {
            limit: this.limits.limit,
            remaining: Math.max(0, this.limits.limit - state.used),
            windowSeconds: this.limits.windowSeconds,
            resetAtMs: state.start + state.lengthMs,
            nowMs: this.clock(),
        };
    }
}
/** Whole seconds until the window resets, at least 1 so a client never retries in a tight loop. */
export function secondsUntilReset(view) {
    return Math.max(1, Math.ceil((view.resetAtMs - view.nowMs) / 1000));
}
export function rateLimitHeaders(style, view) {
    const delta = secondsUntilReset(view);
    switch (style) {
        case 'epoch-seconds':
        case 'delta-seconds':
        case 'epoch-ms': {
            const reset = style === 'epoch-seconds' ? Math.ceil(view.resetAtMs / 1000) : style === 'epoch-ms' ? view.resetAtMs : delta;
            return {
                [GENERIC_RATE_HEADERS.limit]: String(view.limit),
                [GENERIC_RATE_HEADERS.remaining]: String(view.remaining),
                [GENERIC_RATE_HEADERS.reset]: String(reset),
            };
        }
        case 'ietf':
            return {
                [GENERIC_IETF_RATE_HEADERS.rateLimit]: `"default";r=${view.remaining};t=${delta}`,
                [GENERIC_IETF_RATE_HEADERS.policy]: `"default";q=${view.limit};w=${view.windowSeconds}`,
            };
        case 'ietf-draft':
            return {
                [GENERIC_IETF_DRAFT_RATE_HEADERS.limit]: String(view.limit),
                [GENERIC_IETF_DRAFT_RATE_HEADERS.remaining]: String(view.remaining),
                [GENERIC_IETF_DRAFT_RATE_HEADERS.reset]: String(delta),
            };
    }
}
//# sourceMappingURL=ratelimit.js.map