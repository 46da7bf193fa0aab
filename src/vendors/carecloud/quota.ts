/**
 * CareCloud's monthly quota as the gateway sees it. AWS API Gateway says nothing about usage (no headers, no
 * remaining count), so we count the calls the vendor counts ourselves, and remember a `LimitExceededException`
 * until the month turns (vendors.md: "on quota, stop until the month turns"). Usage-plan months are calendar
 * months in UTC.
 *
 * The count lives in the core's quota store: in memory it is this process's view (calls made before a
 * restart or by other replicas are not in it); in Redis every replica counts into one number that survives
 * restarts. Either way calls by other clients of the same key are not in it, so it is a lower bound. The
 * vendor's LimitExceeded answer is the authority; our own count reaching the limit only saves the one call
 * that would have earned it.
 */
import type { QuotaCount, QuotaPeriod, QuotaStore } from '../../upstream/quota-store.ts';

export interface QuotaStatus {
  /** `YYYY-MM`, UTC. */
  readonly month: string;
  /** Calls the vendor counted this month, as far as the gateway knows. */
  readonly used: number;
  readonly limit: number;
  readonly remaining: number;
  /** True once the vendor answered LimitExceeded this month, or our count reached the limit. */
  readonly exhausted: boolean;
  /** The first instant of the next UTC month, when the vendor restores the quota. */
  readonly resetsAt: Date;
}

/** `YYYY-MM` of an epoch-ms instant, in UTC. */
export function monthOf(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 7);
}

/** Epoch ms of the first instant of the UTC month after the one `epochMs` falls in. */
export function startOfNextMonth(epochMs: number): number {
  const date = new Date(epochMs);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
}

/** A month's count is kept this long past its end, for replicas whose clocks run behind. */
const KEEP_PAST_MONTH_END_MS = 24 * 60 * 60 * 1000;

function periodOf(now: number): QuotaPeriod {
  return { id: monthOf(now), keepUntil: startOfNextMonth(now) + KEEP_PAST_MONTH_END_MS };
}

export class MonthlyQuota {
  /** Writes not yet answered: a check waits for them, so a process always sees its own calls. */
  private readonly writes = new Set<Promise<unknown>>();

  constructor(
    readonly limit: number,
    private readonly store: QuotaStore,
    /** Names the count in the store: the vendor and a hash of the key, as the rate budget does. */
    private readonly key: string,
  ) {}

  /**
   * One call the vendor counted against the quota. Not awaited: the core's response hooks are synchronous,
   * and the next check waits for it anyway.
   */
  record(now: number): void {
    this.track(this.store.add(this.key, periodOf(now), 1));
  }

  /** The vendor answered LimitExceeded: nothing more goes out this month. */
  markExhausted(now: number): void {
    this.track(this.store.refuse(this.key, periodOf(now)));
  }

  async exhausted(now: number): Promise<boolean> {
    return isExhausted(await this.count(now), this.limit);
  }

  async status(now: number): Promise<QuotaStatus> {
    const count = await this.count(now);
    const exhausted = isExhausted(count, this.limit);
    return {
      month: monthOf(now),
      used: count.used,
      limit: this.limit,
      remaining: exhausted ? 0 : this.limit - count.used,
      exhausted,
      resetsAt: new Date(startOfNextMonth(now)),
    };
  }

  /** A new month starts from nothing, as the vendor's count does: each month is its own count. */
  private async count(now: number): Promise<QuotaCount> {
    await Promise.all(this.writes);
    // As for writes: a store that fails lets the call through, and the vendor's answer decides.
    return this.store.read(this.key, periodOf(now)).catch(() => ({ used: 0, refused: false }));
  }

  private track(write: Promise<unknown>): void {
    // The core's stores never reject (they fall back to memory); a store passed in bare must not leave an
    // unhandled rejection behind either: the vendor's own LimitExceeded answer still stops calls.
    const settled = write.catch(() => undefined).finally(() => this.writes.delete(settled));
    this.writes.add(settled);
  }
}

function isExhausted(count: QuotaCount, limit: number): boolean {
  return count.refused || count.used >= limit;
}
