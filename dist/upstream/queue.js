import { UpstreamError } from "./errors.js";
import { FairQueue } from "./fair-queue.js";
const DEFAULTS = { maxConcurrent: 8, maxWaiting: 1000, maxWaitingPerClient: 250 };
export const ANONYMOUS_CLIENT = 'anonymous';
export class RateQueue {
    store;
    clock;
    lanes = new Map();
    settings;
    constructor(store, clock, options = {}) {
        this.store = store;
        this.clock = clock;
        const settings = { ...DEFAULTS, ...withoutUndefined(options) };
        for (const [name, value] of Object.entries(settings)) {
            if (!Number.isInteger(value) || value < 1) {
                throw new Error(`expected ${name} to be a whole number of at least 1, got ${String(value)}`);
            }
        }
        this.settings = Object.freeze(settings);
    }
    acquire(key, seed, options) {
        const lane = this.lane(key, seed);
        return new Promise((resolve, reject) => {
            const client = options.client ?? ANONYMOUS_CLIENT;
            const waiter = { client, priority: options.priority, options, resolve, reject, timer: undefined, settled: false };
            const delay = options.deadline - this.clock.now();
            if (delay <= 0) {
                reject(lateError(options.vendor, 1000));
                return;
            }
            const placed = lane.waiting.push(waiter);
            if (placed !== 'queued') {
                reject(fullError(options.vendor, placed));
                return;
            }
            waiter.timer = setTimeout(() => this.expire(lane, waiter), delay);
            void this.pump(lane, key);
        });
    }
    /**
     * Folds a response's signal into the budget; the first one also lifts the one-at-a-time start. Called by
     * a permit holder before it releases, so the other calls in flight are all but this one.
     */
    async observe(key, seed, signal) {
        const lane = this.lane(key, seed);
        await this.store.observe(key, seed, signal, this.clock.now(), Math.max(0, lane.inFlight - 1));
        lane.learned = true;
        void this.pump(lane, key);
    }
    /** Calls waiting for a permit, for one budget or all. */
    depth(key) {
        const lanes = key === undefined ? [...this.lanes.values()] : [this.lanes.get(key)].filter((l) => l !== undefined);
        return lanes.reduce((sum, lane) => sum + lane.waiting.size, 0);
    }
    snapshot(key, seed) {
        return this.store.snapshot(key, seed, this.clock.now());
    }
    lane(key, seed) {
        let lane = this.lanes.get(key);
        if (!lane) {
            const waiting = new FairQueue({
                maxWaiting: this.settings.maxWaiting,
                maxWaitingPerClient: this.settings.maxWaitingPerClient,
            });
            lane = { seed, waiting, inFlight: 0, learned: false, pumping: false, wake: undefined };
            this.lanes.set(key, lane);
        }
        return lane;
    }
    /** Hands out permits in order while the budget allows; one pump per lane at a time keeps the order. */
    async pump(lane, key) {
        if (lane.pumping)
            return;
        lane.pumping = true;
        try {
            for (;;) {
                const waiter = lane.waiting.peek();
                if (!waiter)
                    return;
                if (waiter.settled) {
                    lane.waiting.remove(waiter);
                    continue;
                }
                const limit = lane.learned ? this.settings.maxConcurrent : 1;
                if (lane.inFlight >= limit)
                    return; // a release() pumps again
                const result = await this.store.take(key, lane.seed, this.clock.now());
                if (waiter.settled)
                    continue; // expired while the store answered; the token is spent, sadly
                if (result.ok) {
                    // Removes `waiter` itself, which others may have joined ahead of in its line while the store
                    // answered; its client's turn is over.
                    lane.waiting.served(waiter);
                    this.grant(lane, key, waiter);
                    continue;
                }
                // The head cannot be served before its deadline: fail it now with an honest hint rather than later.
                if (this.clock.now() + result.waitMs > waiter.options.deadline) {
                    lane.waiting.remove(waiter);
                    this.settle(waiter);
                    waiter.reject(lateError(waiter.options.vendor, result.waitMs));
                    continue;
                }
                if (lane.wake)
                    clearTimeout(lane.wake);
                lane.wake = setTimeout(() => {
                    lane.wake = undefined;
                    void this.pump(lane, key);
                }, result.waitMs);
                return;
            }
        }
        finally {
            lane.pumping = false;
        }
    }
    grant(lane, key, waiter) {
        this.settle(waiter);
        lane.inFlight += 1;
        let released = false;
        waiter.resolve({
            release: () => {
                if (released)
                    return;
                released = true;
                lane.inFlight -= 1;
                void this.pump(lane, key);
            },
        });
    }
    expire(lane, waiter) {
        if (waiter.settled)
            return;
        this.settle(waiter);
        lane.waiting.remove(waiter);
        waiter.reject(lateError(waiter.options.vendor, 1000));
    }
    settle(waiter) {
        waiter.settled = true;
        if (waiter.timer)
            clearTimeout(waiter.timer);
    }
}
/** Final: the queue already waited as long as the caller allowed, so retrying now cannot help. */
function lateError(vendor, retryAfterMs) {
    return new UpstreamError(vendor, { kind: 'rate_limited', retryAfterMs: Math.max(1, Math.ceil(retryAfterMs)) }, `${vendor} rate limit: the request could not be sent before its deadline`, undefined, true);
}
/**
 * Final too: the waiting room for this budget (or this client's share of it) is full, and retrying at once
 * would only knock again. Waiting about a second lets some of the line drain.
 */
function fullError(vendor, refusal) {
    const who = refusal === 'client_full' ? 'this client already has too many calls' : 'too many calls are already';
    return new UpstreamError(vendor, { kind: 'rate_limited', retryAfterMs: 1000 }, `${vendor} rate limit: ${who} waiting for its budget`, undefined, true);
}
function withoutUndefined(options) {
    return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
}
//# sourceMappingURL=queue.js.map