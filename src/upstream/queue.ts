/**
 * The rate-aware request queue. Every upstream call takes a permit here first. When the budget is spent,
 * calls wait instead of failing, in the order fair-queue.ts keeps (clients take turns; within a client,
 * interactive before background, FIFO within each); a call whose deadline passes first fails with
 * `rate_limited` and a retry hint, and so does a call that finds the waiting room full.
 *
 * Until the first response for a budget has been read, only one call is in flight for it: the vendor's
 * real limit may be lower than the documented one, and a burst sent blind would earn a volley of 429s.
 */
import type { BucketStore } from './bucket-store.ts';
import type { Clock } from './clock.ts';
import { UpstreamError } from './errors.ts';
import { FairQueue, type Priority, type PushResult } from './fair-queue.ts';
import type { BudgetSnapshot, RateSignal, RateSpec, TakeResult } from './rate-limit.ts';

export type { Priority } from './fair-queue.ts';

export interface AcquireOptions {
  readonly priority: Priority;
  /** Who the call is for (`key:<name>`, `jwt:<sub>`); waiting clients take turns by it. Default `anonymous`. */
  readonly client?: string;
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
  /**
   * Ceiling on calls in flight per budget. Below it, a learned budget allows as many calls in flight as it
   * has calls per window (or bucket capacity): a slow vendor with room in its budget is not held back by a
   * constant, and a tight one is not flooded. Default 64.
   */
  readonly maxConcurrent?: number;
  /** Calls waiting for one budget, all clients together; past it a call fails at once with rate_limited. Default 1000. */
  readonly maxWaiting?: number;
  /** Calls one client may have waiting for one budget; past it its call fails at once with rate_limited. Default 250. */
  readonly maxWaitingPerClient?: number;
}

interface Waiter {
  readonly client: string;
  readonly priority: Priority;
  readonly options: AcquireOptions;
  readonly resolve: (permit: Permit) => void;
  readonly reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
  settled: boolean;
}

interface Lane {
  readonly seed: RateSpec;
  readonly waiting: FairQueue<Waiter>;
  inFlight: number;
  learned: boolean;
  /** Calls per window (or bucket capacity) the vendor last announced; the seed's until it does. */
  limit: number;
  pumping: boolean;
  wake: ReturnType<typeof setTimeout> | undefined;
}

/** How soon a failed budget store is asked again, ms. */
const STORE_RETRY_MS = 100;

const DEFAULTS = { maxConcurrent: 64, maxWaiting: 1000, maxWaitingPerClient: 250 } as const;

export const ANONYMOUS_CLIENT = 'anonymous';

export class RateQueue {
  private readonly lanes = new Map<string, Lane>();
  private readonly settings: Readonly<Required<QueueOptions>>;

  constructor(
    private readonly store: BucketStore,
    private readonly clock: Clock,
    options: QueueOptions = {},
  ) {
    const settings = { ...DEFAULTS, ...withoutUndefined(options) };
    for (const [name, value] of Object.entries(settings)) {
      if (!Number.isInteger(value) || value < 1) {
        throw new Error(`expected ${name} to be a whole number of at least 1, got ${String(value)}`);
      }
    }
    this.settings = Object.freeze(settings);
  }

  acquire(key: string, seed: RateSpec, options: AcquireOptions): Promise<Permit> {
    const lane = this.lane(key, seed);
    return new Promise<Permit>((resolve, reject) => {
      const client = options.client ?? ANONYMOUS_CLIENT;
      const waiter: Waiter = { client, priority: options.priority, options, resolve, reject, timer: undefined, settled: false };
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
  async observe(key: string, seed: RateSpec, signal: RateSignal): Promise<void> {
    const lane = this.lane(key, seed);
    await this.store.observe(key, seed, signal, this.clock.now(), Math.max(0, lane.inFlight - 1));
    lane.learned = true;
    if (signal.limit !== undefined && signal.limit > 0) lane.limit = signal.limit;
    void this.pump(lane, key);
  }

  /** Calls waiting for a permit, for one budget or all. */
  depth(key?: string): number {
    const lanes = key === undefined ? [...this.lanes.values()] : [this.lanes.get(key)].filter((l) => l !== undefined);
    return lanes.reduce((sum, lane) => sum + lane.waiting.size, 0);
  }

  snapshot(key: string, seed: RateSpec): Promise<BudgetSnapshot> {
    return this.store.snapshot(key, seed, this.clock.now());
  }

  private lane(key: string, seed: RateSpec): Lane {
    let lane = this.lanes.get(key);
    if (!lane) {
      const waiting = new FairQueue<Waiter>({
        maxWaiting: this.settings.maxWaiting,
        maxWaitingPerClient: this.settings.maxWaitingPerClient,
      });
      lane = { seed, waiting, inFlight: 0, learned: false, limit: seed.kind === 'window' ? seed.limit : seed.capacity, pumping: false, wake: undefined };
      this.lanes.set(key, lane);
    }
    return lane;
  }

  /** Hands out permits in order while the budget allows; one pump per lane at a time keeps the order. */
  private async pump(lane: Lane, key: string): Promise<void> {
    if (lane.pumping) return;
    lane.pumping = true;
    try {
      for (;;) {
        const waiter = lane.waiting.peek();
        if (!waiter) return;
        if (waiter.settled) {
          lane.waiting.remove(waiter);
          continue;
        }
        const limit = lane.learned ? Math.max(1, Math.min(this.settings.maxConcurrent, Math.floor(lane.limit))) : 1;
        if (lane.inFlight >= limit) return; // a release() pumps again
        let result: TakeResult;
        try {
          result = await this.store.take(key, lane.seed, this.clock.now());
        } catch {
          // A store that failed (shared, with no fallback of its own) is asked again shortly; waiters' own
          // deadlines still bound the wait, and nothing is left rejected unhandled.
          result = { ok: false, waitMs: STORE_RETRY_MS };
        }
        if (waiter.settled) continue; // expired while the store answered; the token is spent, sadly
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
    lane.waiting.remove(waiter);
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

/**
 * Final too: the waiting room for this budget (or this client's share of it) is full, and retrying at once
 * would only knock again. Waiting about a second lets some of the line drain.
 */
function fullError(vendor: string, refusal: Exclude<PushResult, 'queued'>): UpstreamError {
  const who = refusal === 'client_full' ? 'this client already has too many calls' : 'too many calls are already';
  return new UpstreamError(
    vendor,
    { kind: 'rate_limited', retryAfterMs: 1000 },
    `${vendor} rate limit: ${who} waiting for its budget`,
    undefined,
    true,
  );
}

function withoutUndefined<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<T>;
}
