/**
 * Rate budgets as pure data and pure functions, so that every store (in memory now, Redis for replicas)
 * applies exactly the same arithmetic. A vendor seeds its documented limit; responses then correct it.
 */
/** Windows a server reports within this of ours are the same window (clock skew, rounding). */
const SAME_WINDOW_MS = 50;
/**
 * A call sent this close to the end of a window may arrive in the next one (network latency), so it is
 * charged to both: one token of the next window is held back for it. Costs at most a token per window.
 */
const WINDOW_EDGE_MS = 100;
export function initialState(spec, now) {
    const full = spec.kind === 'window' ? spec.limit : spec.capacity;
    return {
        spec,
        tokens: full,
        refilledAt: now,
        // Fixed-window limiters almost always key windows by epoch time (floor(now / window)), so ours start on
        // the same boundaries until the vendor names its own.
        windowEndsAt: spec.kind === 'window' ? (Math.floor(now / spec.windowMs) + 1) * spec.windowMs : now,
        blockedUntil: 0,
        cost: 1,
        learned: false,
        carry: 0,
    };
}
function refill(state, now) {
    const spec = state.spec;
    if (spec.kind === 'bucket') {
        const elapsed = Math.max(0, now - state.refilledAt);
        state.tokens = Math.min(spec.capacity, state.tokens + (elapsed / 1000) * spec.refillPerSecond);
        state.refilledAt = now;
        return;
    }
    if (now >= state.windowEndsAt) {
        // Keep the server's phase: its windows start on its own boundaries, not when we happened to look.
        const missed = Math.floor((now - state.windowEndsAt) / spec.windowMs) + 1;
        state.windowEndsAt += missed * spec.windowMs;
        state.tokens = Math.max(0, spec.limit - (missed === 1 ? state.carry : 0));
        state.carry = 0;
    }
}
/** Takes one call's worth of tokens, or says how long until that could succeed. Mutates `state`. */
export function take(state, now) {
    refill(state, now);
    if (now < state.blockedUntil)
        return { ok: false, waitMs: state.blockedUntil - now };
    if (state.tokens >= state.cost) {
        state.tokens -= state.cost;
        if (state.spec.kind === 'window' && state.windowEndsAt - now < WINDOW_EDGE_MS)
            state.carry += state.cost;
        return { ok: true };
    }
    const spec = state.spec;
    if (spec.kind === 'window')
        return { ok: false, waitMs: Math.max(1, state.windowEndsAt - now) };
    const rate = Math.max(spec.refillPerSecond, 0.001);
    return { ok: false, waitMs: Math.max(1, Math.ceil(((state.cost - state.tokens) / rate) * 1000)) };
}
/**
 * Folds what a response said into the state. Mutates `state`. `othersInFlight` counts our calls already
 * sent but not yet answered: a count the vendor reports for a new window does not include them yet.
 */
export function observe(state, signal, now, othersInFlight = 0) {
    refill(state, now);
    state.learned = true;
    const spec = state.spec;
    if (signal.cost !== undefined && signal.cost > 0)
        state.cost = signal.cost;
    if (spec.kind === 'window') {
        if (signal.limit !== undefined && signal.limit > 0)
            state.spec = { ...spec, limit: signal.limit };
        applyWindowRemaining(state, signal, now, othersInFlight);
    }
    else {
        state.spec = {
            kind: 'bucket',
            capacity: signal.limit !== undefined && signal.limit > 0 ? signal.limit : spec.capacity,
            refillPerSecond: signal.refillPerSecond !== undefined && signal.refillPerSecond > 0 ? signal.refillPerSecond : spec.refillPerSecond,
        };
        state.tokens = Math.min(state.tokens, state.spec.kind === 'bucket' ? state.spec.capacity : state.tokens);
        // The vendor's count wins when it is lower: other replicas or clients share the same key.
        if (signal.remaining !== undefined)
            state.tokens = Math.min(state.tokens, signal.remaining);
    }
    if (signal.retryAfterMs !== undefined && signal.retryAfterMs >= 0) {
        state.blockedUntil = Math.max(state.blockedUntil, now + signal.retryAfterMs);
        state.tokens = 0;
    }
}
function applyWindowRemaining(state, signal, now, othersInFlight) {
    if (signal.remaining === undefined)
        return;
    if (signal.resetAt === undefined) {
        state.tokens = Math.min(state.tokens, signal.remaining);
        return;
    }
    // A response that crossed a window boundary in flight speaks of a window that is already over.
    if (signal.resetAt <= now)
        return;
    if (Math.abs(signal.resetAt - state.windowEndsAt) > SAME_WINDOW_MS) {
        state.windowEndsAt = signal.resetAt;
        state.tokens = Math.max(0, signal.remaining - othersInFlight);
    }
    else {
        state.tokens = Math.min(state.tokens, signal.remaining);
    }
    if (signal.remaining <= 0)
        state.blockedUntil = Math.max(state.blockedUntil, signal.resetAt);
}
export function snapshotOf(state, now) {
    refill(state, now);
    const spec = state.spec;
    return {
        remaining: Math.floor(state.tokens),
        limit: spec.kind === 'window' ? spec.limit : spec.capacity,
        blockedUntil: state.blockedUntil,
        learned: state.learned,
    };
}
//# sourceMappingURL=rate-limit.js.map