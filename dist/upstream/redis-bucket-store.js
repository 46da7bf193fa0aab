import { initialState, observe, snapshotOf, take, } from "./rate-limit.js";
export class RedisBucketStore {
    redis;
    prefix;
    ttlSeconds;
    maxAttempts;
    startState;
    /** WATCH belongs to the connection: one transaction at a time on it, or one EXEC would clear another's watch. */
    tail = Promise.resolve();
    constructor(redis, options = {}) {
        this.redis = redis;
        this.prefix = options.prefix ?? 'vendor-graph:budget:';
        this.ttlSeconds = options.ttlSeconds ?? 3600;
        this.maxAttempts = options.maxAttempts ?? 20;
        this.startState = options.startState;
    }
    take(key, seed, now) {
        return this.update(key, seed, now, (state) => take(state, now));
    }
    async observe(key, seed, signal, now, othersInFlight = 0) {
        await this.update(key, seed, now, (state) => observe(state, signal, now, othersInFlight));
    }
    snapshot(key, seed, now) {
        return this.update(key, seed, now, (state) => snapshotOf(state, now));
    }
    update(key, seed, now, change) {
        const run = this.tail.then(() => this.transact(key, seed, now, change));
        this.tail = run.catch(() => undefined);
        return run;
    }
    async transact(key, seed, now, change) {
        const redisKey = this.prefix + key;
        for (let attempt = 0; attempt < this.maxAttempts; attempt += 1) {
            await this.redis.watch(redisKey);
            const raw = await this.redis.get(redisKey);
            const state = raw ? JSON.parse(raw) : (this.startState?.(key, seed, now) ?? initialState(seed, now));
            const result = change(state);
            const committed = await this.redis.multi().set(redisKey, JSON.stringify(state), 'EX', this.ttlSeconds).exec();
            if (committed !== null)
                return result;
        }
        throw new Error(`rate budget ${key}: too much contention in Redis after ${this.maxAttempts} attempts`);
    }
}
//# sourceMappingURL=redis-bucket-store.js.map