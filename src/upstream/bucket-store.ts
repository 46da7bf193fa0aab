/**
 * Where rate budgets live. In memory by default (one process); the interface is async so that a shared
 * store (Redis) can keep one budget across replicas without changing the queue.
 */
import {
  initialState,
  observe,
  snapshotOf,
  take,
  type BucketState,
  type BudgetSnapshot,
  type RateSignal,
  type RateSpec,
  type TakeResult,
} from './rate-limit.ts';

export interface BucketStore {
  /** Takes one call's tokens from `key`'s budget (created from `seed` on first use). */
  take(key: string, seed: RateSpec, now: number): Promise<TakeResult>;
  /** Folds a response's rate signal into `key`'s budget; `othersInFlight` as in rate-limit.ts `observe`. */
  observe(key: string, seed: RateSpec, signal: RateSignal, now: number, othersInFlight?: number): Promise<void>;
  snapshot(key: string, seed: RateSpec, now: number): Promise<BudgetSnapshot>;
}

export interface MemoryBucketStoreOptions {
  /** The state a budget starts from on first use, as RedisBucketStoreOptions has it. Default: the seed's full budget. */
  readonly startState?: (key: string, seed: RateSpec, now: number) => BucketState | undefined;
}

export class MemoryBucketStore implements BucketStore {
  private readonly states = new Map<string, BucketState>();

  constructor(private readonly options: MemoryBucketStoreOptions = {}) {}

  private state(key: string, seed: RateSpec, now: number): BucketState {
    let state = this.states.get(key);
    if (!state) {
      const start = this.options.startState?.(key, seed, now);
      state = start ? structuredClone(start) : initialState(seed, now);
      this.states.set(key, state);
    }
    return state;
  }

  take(key: string, seed: RateSpec, now: number): Promise<TakeResult> {
    return Promise.resolve(take(this.state(key, seed, now), now));
  }

  observe(key: string, seed: RateSpec, signal: RateSignal, now: number, othersInFlight = 0): Promise<void> {
    observe(this.state(key, seed, now), signal, now, othersInFlight);
    return Promise.resolve();
  }

  snapshot(key: string, seed: RateSpec, now: number): Promise<BudgetSnapshot> {
    return Promise.resolve(snapshotOf(this.state(key, seed, now), now));
  }

  /** A copy of `key`'s state, if it has one; never creates it. */
  peek(key: string): BucketState | undefined {
    const state = this.states.get(key);
    return state ? structuredClone(state) : undefined;
  }
}
