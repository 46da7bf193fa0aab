/**
 * A shared budget store (Redis) that keeps serving when the shared store does not answer: each replica then
 * draws on a budget of its own, limit ÷ (replicas seen alive last), so together they still stay within the
 * vendor's limit. Calls keep queueing and never fail because Redis is away; when it answers again the shared
 * budgets resume, with no restart. A change of state is logged once, not once per call.
 */
import type { Logger } from 'pino';
import { MemoryBucketStore, type BucketStore } from './bucket-store.ts';
import { SharedOrLocal } from './shared-or-local.ts';
import type { BucketState, BudgetSnapshot, RateSignal, RateSpec, TakeResult } from './rate-limit.ts';

export interface FallbackBucketStoreOptions {
  /** Whether the shared store can be asked now (ioredis: status `ready`); false goes straight to the local budget. */
  readonly available: () => boolean;
  /** Replicas seen alive last, this one included. */
  readonly replicas: () => number;
  readonly logger?: Logger;
  /** How long a replica back on the shared store still keeps to its local share as well, ms. Default REJOIN_GRACE_MS. */
  readonly rejoinGraceMs?: number;
}

/**
 * Replicas reconnect to Redis one by one (ioredis retries up to 2 s apart), and one still on its local share
 * cannot be seen by the others. A replica back on the shared budget therefore keeps to its own share as well
 * for this long, so that the ones still away and the ones back together stay within the vendor's limit.
 */
export const REJOIN_GRACE_MS = 5000;

export class FallbackBucketStore implements BucketStore {
  private readonly local = new MemoryBucketStore();
  private readonly route: SharedOrLocal;
  /** When the shared store last answered again after an outage (the clock's ms); undefined if it never left. */
  private rejoinedAt: number | undefined;
  /** The replicas this one divided its local budgets by, last time it made or changed one. */
  private awayDivisor = 1;

  constructor(
    private readonly shared: BucketStore,
    private readonly options: FallbackBucketStoreOptions,
  ) {
    this.route = new SharedOrLocal({
      available: options.available,
      logger: options.logger,
      lost: () => `shared rate budgets unreachable: each replica now uses 1/${this.divisor()} of every vendor budget`,
      back: 'shared rate budgets reachable again',
    });
  }

  /**
   * Where a shared budget that Redis lost (it came back empty) should start: this replica's local share as it
   * stands, its remaining tokens only. The other replicas may have spent their whole shares in the vendor's
   * current window, so the vendor's count of that window stays within its limit. Undefined when this replica
   * never fell back for `key`.
   */
  resumeState(key: string): BucketState | undefined {
    const state = this.local.peek(key);
    if (!state) return undefined;
    // The divisor the local share was made with: a Redis that came back empty at first lists only the replicas
    // that have announced themselves since, which can be this one alone.
    const n = this.awayDivisor;
    const spec = state.spec;
    state.spec = spec.kind === 'window' ? { ...spec, limit: spec.limit * n } : { ...spec, capacity: spec.capacity * n, refillPerSecond: spec.refillPerSecond * n };
    return state;
  }

  /** Whether calls are drawing on the local share now. */
  get usingFallback(): boolean {
    return this.route.usingFallback;
  }

  take(key: string, seed: RateSpec, now: number): Promise<TakeResult> {
    return this.route.either(
      () => this.sharedTake(key, seed, now),
      () => this.local.take(key, this.share(seed, this.awayFrom()), now),
    );
  }

  /** The shared budget, and within the grace after an outage (REJOIN_GRACE_MS) this replica's share too. */
  private async sharedTake(key: string, seed: RateSpec, now: number): Promise<TakeResult> {
    // Still marked degraded here means this is the first try of the shared side since it went away.
    if (this.route.usingFallback) this.rejoinedAt = now;
    if (this.rejoinedAt !== undefined && now - this.rejoinedAt < (this.options.rejoinGraceMs ?? REJOIN_GRACE_MS)) {
      // The share is the one taken while away: a Redis that came back empty lists only the replicas that have
      // announced themselves since, which can be this one alone. A local token spent on a call the shared
      // budget then refuses is lost: the grace errs towards fewer calls.
      const mine = await this.local.take(key, this.share(seed, Math.max(this.divisor(), this.awayDivisor)), now);
      if (!mine.ok) return mine;
    }
    return this.shared.take(key, seed, now);
  }

  observe(key: string, seed: RateSpec, signal: RateSignal, now: number, othersInFlight = 0): Promise<void> {
    return this.route.either(
      () => this.shared.observe(key, seed, signal, now, othersInFlight),
      () => {
        const n = this.awayFrom();
        return this.local.observe(key, this.share(seed, n), this.shareSignal(signal, n), now, othersInFlight);
      },
    );
  }

  snapshot(key: string, seed: RateSpec, now: number): Promise<BudgetSnapshot> {
    return this.route.either(
      () => this.shared.snapshot(key, seed, now),
      () => this.local.snapshot(key, this.share(seed), now),
    );
  }



  private divisor(): number {
    return Math.max(1, Math.floor(this.options.replicas()));
  }

  /** The divisor for a local share made now, kept as the one the local budgets were last made with. */
  private awayFrom(): number {
    this.awayDivisor = this.divisor();
    return this.awayDivisor;
  }

  private share(seed: RateSpec, n = this.divisor()): RateSpec {
    return seed.kind === 'window'
      ? { ...seed, limit: Math.max(1, Math.floor(seed.limit / n)) }
      : { ...seed, capacity: Math.max(1, Math.floor(seed.capacity / n)), refillPerSecond: seed.refillPerSecond / n };
  }

  /** What the vendor reports is for every replica together; this replica's share of it is 1/n. */
  private shareSignal(signal: RateSignal, n: number): RateSignal {
    const part = (value: number | undefined) => (value === undefined ? undefined : Math.floor(value / n));
    return {
      ...signal,
      ...(signal.limit === undefined ? {} : { limit: Math.max(1, part(signal.limit) ?? 1) }),
      ...(signal.remaining === undefined ? {} : { remaining: part(signal.remaining) }),
      ...(signal.refillPerSecond === undefined ? {} : { refillPerSecond: signal.refillPerSecond / n }),
    };
  }
}
