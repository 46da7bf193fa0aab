/**
 * Where rate budgets live. In memory by default (one process); the interface is async so that a shared
 * store (Redis) can keep one budget across replicas without changing the queue.
 */
import { initialState, observe, snapshotOf, take, } from "./rate-limit.js";
export class MemoryBucketStore {
    states = new Map();
    state(key, seed, now) {
        let state = this.states.get(key);
        if (!state) {
            state = initialState(seed, now);
            this.states.set(key, state);
        }
        return state;
    }
    take(key, seed, now) {
        return Promise.resolve(take(this.state(key, seed, now), now));
    }
    observe(key, seed, signal, now, othersInFlight = 0) {
        observe(this.state(key, seed, now), signal, now, othersInFlight);
        return Promise.resolve();
    }
    snapshot(key, seed, now) {
        return Promise.resolve(snapshotOf(this.state(key, seed, now), now));
    }
    /** A copy of `key`'s state, if it has one; never creates it. */
    peek(key) {
        const state = this.states.get(key);
        return state ? structuredClone(state) : undefined;
    }
}
//# sourceMappingURL=bucket-store.js.map