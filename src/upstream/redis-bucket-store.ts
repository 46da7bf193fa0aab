/**
 * Rate budgets in Redis, so that every replica of the gateway draws on one budget per vendor credential
 * (the vendor counts calls per key, not per replica). Each change is an optimistic transaction: WATCH the
 * key, read the state, apply the same pure arithmetic as the in-memory store (rate-limit.ts), and commit
 * only if nobody else wrote in between; otherwise try again. ioredis is the well-kept client for this.
 */
import type { Redis } from 'ioredis';
import type { BucketStore } from './bucket-store.ts';
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

export interface RedisBucketStoreOptions {
  /** Key prefix, so several gateways can share one Redis. Default `vendor-graph:budget:`. */
  readonly prefix?: string;
  /** Budgets untouched this long are dropped, seconds. Default 3600. */
  readonly ttlSeconds?: number;
  /** Attempts of one transaction under contention before giving up. Default 20. */
  readonly maxAttempts?: number;
  /**
   * The state a budget starts from when Redis has none (first use, or Redis restarted empty). Default: the
   * seed's full budget. A fallback store passes what this replica knows of the vendor's current window.
   */
  readonly startState?: (key: string, seed: RateSpec, now: number) => BucketState | undefined;
}

export class RedisBucketStore implements BucketStore {
  private readonly prefix: string;
  private readonly ttlSeconds: number;
  private readonly maxAttempts: number;
  private readonly startState: RedisBucketStoreOptions['startState'];
  /** WATCH belongs to the connection: one transaction at a time on it, or one EXEC would clear another's watch. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly redis: Redis,
    options: RedisBucketStoreOptions = {},
  ) {
    this.prefix = options.prefix ?? 'vendor-graph:budget:';
    this.ttlSeconds = options.ttlSeconds ?? 3600;
    this.maxAttempts = options.maxAttempts ?? 20;
    this.startState = options.startState;
  }

  take(key: string, seed: RateSpec, now: number): Promise<TakeResult> {
    return this.update(key, seed, now, (state) => take(state, now));
  }

  async observe(key: string, seed: RateSpec, signal: RateSignal, now: number, othersInFlight = 0): Promise<void> {
    await this.update(key, seed, now, (state) => observe(state, signal, now, othersInFlight));
  }

  snapshot(key: string, seed: RateSpec, now: number): Promise<BudgetSnapshot> {
    return this.update(key, seed, now, (state) => snapshotOf(state, now));
  }

  private update<R>(key: string, seed: RateSpec, now: number, change: (state: BucketState) => R): Promise<R> {
    const run = this.tail.then(() => this.transact(key, seed, now, change));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async transact<R>(key: string, seed: RateSpec, now: number, change: (state: BucketState) => R): Promise<R> {
    const redisKey = this.prefix + key;
    for (let attempt = 0; attempt < this.maxAttempts; attempt += 1) {
      await this.redis.watch(redisKey);
      const raw = await this.redis.get(redisKey);
      const state = raw ? (JSON.parse(raw) as BucketState) : (this.startState?.(key, seed, now) ?? initialState(seed, now));
      const result = change(state);
      const committed = await this.redis.multi().set(redisKey, JSON.stringify(state), 'EX', this.ttlSeconds).exec();
      if (committed !== null) return result;
    }
    throw new Error(`rate budget ${key}: too much contention in Redis after ${this.maxAttempts} attempts`);
  }
}
