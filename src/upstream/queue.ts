/**
 * The rate-aware request queue. Every upstream call takes a permit here first. When the budget is spent,
 * calls wait in order (interactive before background, FIFO within each) instead of failing; a call whose
 * deadline passes first fails with `rate_limited` and a retry hint.
 *
 * Until the first response for a budget has been read, only one call is in flight for it: the vendor's
 * real limit may be lower than the documented one, and a burst sent blind would earn a volley of 429s.
 */
import type { BucketStore } from './bucket-store.ts';
import type { Clock } from './clock.ts';
import { UpstreamError } from './errors.ts';
import type { BudgetSnapshot, RateSignal, RateSpec } from './rate-limit.ts';

export type Priority = 'interactive' | 'background';

export interface AcquireOptions {
  readonly priority: Priority;
  /** Epoch ms after which the caller no longer wants an answer. */
  readonly deadline: number;
  /** Names the vendor in the error a late call gets. */
  readonly vendor: string;
}

export interface Permit {
  /** Must be called once the call has its answer (or failed), so the next one may go. */
  release(): void;
}

export interface QueueOptions {
  /** Calls in flight at once per budget once it is learned. Default 8. */
  readonly maxConcurrent?: number;
}

interface Waiter {
  readonly options: AcquireOptions;
  readonly resolve: (permit: Permit) => void;
  readonly reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
  settled: boolean;
}

interface Lane {
  readonly seed: RateSpec;
  readonly interactive: Waiter[];
  readonly background: Waiter[];
  inFlight: number;
  learned: boolean;
  pumping: boolean;
  wake: ReturnType<typeof setTimeout> | undefined;
}

const DEFAULTS = { maxConcurrent: 8 } as const;

export class RateQueue {
  private readonly lanes = new Map<string, Lane>();
  private readonly maxConcurrent: number;

  constructor(
    private readonly store: BucketStore,
    private readonly clock: Clock,
    options: QueueOptions = {},
  ) {
    const maxConcurrent = options.maxConcurrent ?? DEFAULTS.maxConcurrent;
    if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) {
      throw new Error(`expected maxConcurrent to be a whole number of at least 1, got ${String(maxConcurrent)}`);
    }
    this.maxConcurrent = maxConcurrent;
  }

  acquire(key: string, seed: RateSpec, options: AcquireOptions): Promise<Permit> {
    const lane = this.lane(key, seed);
    return new Promise<Permit>((resolve, reject) => {
      const waiter: Waiter = { options, resolve, reject, timer: undefined, settled: false };
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
  async observe(key: string, seed: RateSpec, signal: RateSignal): Promise<void> {
    const lane = this.lane(key, seed);
    await this.store.observe(key, seed, signal, this.clock.now(), Math.max(0, lane.inFlight - 1));
    lane.learned = true;
    void this.pump(lane, key);
  }

  /** Calls waiting for a permit, for one budget or all. */
  depth(key?: string): number {
    const lanes = key === undefined ? [...this.lanes.values()] : [this.lanes.get(key)].filter((l) => l !== undefined);
    return lanes.reduce((sum, lane) => sum + lane.interactive.length + lane.background.length, 0);
  }

  snapshot(key: string, seed: RateSpec): Promise<BudgetSnapshot> {
    return this.store.snapshot(key, seed, this.clock.now());
  }

  private lane(key: string, seed: RateSpec): Lane {
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = { seed, interactive: [], background: [], inFlight: 0, learned: false, pumping: false, wake: undefined };
      this.lanes.set(key, lane);
    }
    return lane;
  }

  private head(lane: Lane): Waiter | undefined {
    return lane.interactive[0] ?? lane.background[0];
  }

  /** Removes `waiter` itself: others may have joined either line while the store was answering. */
  private remove(lane: Lane, waiter: Waiter): void {
    const line = waiter.options.priority === 'interactive' ? lane.interactive : lane.background;
    const index = line.indexOf(waiter);
    if (index >= 0) line.splice(index, 1);
  }

  /** Hands out permits in order while the budget allows; one pump per lane at a time keeps the order. */
  private async pump(lane: Lane, key: string): Promise<void> {
    if (lane.pumping) return;
    lane.pumping = true;
    try {
      for (;;) {
        const waiter = this.head(lane);
        if (!waiter) return;
        if (waiter.settled) {
          this.remove(lane, waiter);
          continue;
        }
        const limit = lane.learned ? this.maxConcurrent : 1;
        if (lane.inFlight >= limit) return; // a release() pumps again
        const result = await this.store.take(key, lane.seed, this.clock.now());
        if (waiter.settled) continue; // expired while the store answered; the token is spent, sadly
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
        if (lane.wake) clearTimeout(lane.wake);
        lane.wake = setTimeout(() => {
          lane.wake = undefined;
          void this.pump(lane, key);
        }, result.waitMs);
        return;
      }
    } finally {
      lane.pumping = false;
    }
  }

  private grant(lane: Lane, key: string, waiter: Waiter): void {
    this.settle(waiter);
    lane.inFlight += 1;
    let released = false;
    waiter.resolve({
      release: () => {
        if (released) return;
        released = true;
        lane.inFlight -= 1;
        void this.pump(lane, key);
      },
    });
  }

  private expire(lane: Lane, waiter: Waiter): void {
    if (waiter.settled) return;
    this.settle(waiter);
    this.remove(lane, waiter);
    waiter.reject(lateError(waiter.options.vendor, 1000));
  }

  private settle(waiter: Waiter): void {
    waiter.settled = true;
    if (waiter.timer) clearTimeout(waiter.timer);
  }
}

/** Final: the queue already waited as long as the caller allowed, so retrying now cannot help. */
function lateError(vendor: string, retryAfterMs: number): UpstreamError {
  return new UpstreamError(
    vendor,
    { kind: 'rate_limited', retryAfterMs: Math.max(1, Math.ceil(retryAfterMs)) },
    `${vendor} rate limit: the request could not be sent before its deadline`,
    undefined,
    true,
  );
}
