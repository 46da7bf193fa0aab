import { UpstreamError } from "./errors.js";
const DEFAULTS = { maxConcurrent: 8 };
export class RateQueue {
    store;
    clock;
    lanes = new Map();
    maxConcurrent;
    constructor(store, clock, options = {}) {
        this.store = store;
        this.clock = clock;
        const maxConcurrent = options.maxConcurrent ?? DEFAULTS.maxConcurrent;
        if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) {
            throw new Error(`expected maxConcurrent to be a whole number of at least 1, got ${String(maxConcurrent)}`);
        }
        this.maxConcurrent = maxConcurrent;
    }
    acquire(key, seed, options) {
        const lane = this.lane(key, seed);
        return new Promise((resolve, reject) => {
            const waiter = { options, resolve, reject, timer: undefined, settled: false };
            const delay = options.deadline - this.clock.now();
            if (delay <= 0) {
                reject(lateError(options.vendor, 1000));
                return;
            }
            waiter.timer = setTimeout(() => this.expire(lane, waiter), delay);
            (options.priority === 'interactive' ? lane.interactive : lane.background).push(waiter);
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
        return lanes.reduce((sum, lane) => sum + lane.interactive.length + lane.background.length, 0);
    }
    snapshot(key, seed) {
        return this.store.snapshot(key, seed, this.clock.now());
    }
    lane(key, seed) {
        let lane = this.lanes.get(key);
        if (!lane) {
            lane = { seed, interactive: [], background: [], inFlight: 0, learned: false, pumping: false, wake: undefined };
            this.lanes.set(key, lane);
        }
        return lane;
    }
    head(lane) {
        return lane.interactive[0] ?? lane.background[0];
    }
    /** Removes `waiter` itself: others may have joined either line while the store was answering. */
    remove(lane, waiter) {
        const line = waiter.options.priority === 'interactive' ? lane.interactive : lane.background;
        const index = line.indexOf(waiter);
        if (index >= 0)
            line.splice(index, 1);
    }
    /** Hands out permits in order while the budget allows; one pump per lane at a time keeps the order. */
    async pump(lane, key) {
        if (lane.pumping)
            return;
        lane.pumping = true;
        try {
            for (;;) {
                const waiter = this.head(lane);
                if (!waiter)
                    return;
                if (waiter.settled) {
                    this.remove(lane, waiter);
                    continue;
                }
                const limit = lane.learned ? this.maxConcurrent : 1;
                if (lane.inFlight >= limit)
                    return; // a release() pumps again
                const result = await this.store.take(key, lane.seed, this.clock.now());
                if (waiter.settled)
                    continue; // expired while the store answered; the token is spent, sadly
                if (result.ok) {
                    this.remove(lane, waiter);
                    this.grant(lane, key, waiter);
                    continue;
                }
                // The head cannot be served before its deadline: fail it now with an honest hint rather than later.
                if (this.clock.now() + result.waitMs > waiter.options.deadline) {
                    this.remove(lane, waiter);
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
        this.remove(lane, waiter);
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
//# sourceMappingURL=queue.js.map