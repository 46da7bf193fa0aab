/**
 * CareCloud's usage plan as AWS API Gateway enforces it (vendors.md, "CareCloud"): per API key, a token bucket
 * (steady rate plus a burst) and a quota per calendar month. Time comes from the injected clock so tests can
 * empty the bucket or turn the month without waiting.
 */

/** Live-adjustable: the limiter reads these on every request, so mutating them changes behaviour at once. */
export interface CareCloudLimits {
  /** Tokens added to each key's bucket per second. Default 10. */
  ratePerSecond: number;
  /** Bucket capacity: how many requests may arrive at once. Default 20. */
  burst: number;
  /** Requests each key may make per calendar month (UTC). Default 10000. */
  monthlyQuota: number;
}

export const DEFAULT_CARECLOUD_LIMITS: Readonly<CareCloudLimits> = Object.freeze({
  ratePerSecond: 10,
  burst: 20,
  monthlyQuota: 10_000,
});

export type CareCloudAdmission =
  | { readonly kind: 'allowed'; readonly month: string }
  | { readonly kind: 'throttled' }
  | { readonly kind: 'quota_exceeded' };

export interface CareCloudUsage {
  /** `YYYY-MM` of the clock, UTC. */
  readonly month: string;
  readonly used: number;
  readonly remaining: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

interface Quota {
  month: string;
  used: number;
}

export function validateLimits(limits: CareCloudLimits): void {
  for (const key of ['ratePerSecond', 'burst', 'monthlyQuota'] as const) {
    const value = limits[key];
    if (!Number.isFinite(value) || value < 0) {
      throw new Error(`expected limits.${key} to be a finite number >= 0, got ${String(value)}`);
    }
  }
}

/** `YYYY-MM` of an epoch-ms instant, in UTC as AWS counts usage-plan months. */
export function monthOf(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 7);
}

export class CareCloudLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly quotas = new Map<string, Quota>();

  constructor(
    readonly limits: CareCloudLimits,
    private readonly clock: () => number,
  ) {}

  /**
   * Decides one request for `apiKey` and, when it is allowed, takes a token and counts it. The quota is checked
   * first, as API Gateway does; a throttled request is not counted against the quota.
   */
  admit(apiKey: string): CareCloudAdmission {
    const now = this.clock();
    const quota = this.quota(apiKey, now);
    if (quota.used >= this.limits.monthlyQuota) return { kind: 'quota_exceeded' };
    const bucket = this.refill(apiKey, now);
    if (bucket.tokens < 1) return { kind: 'throttled' };
    bucket.tokens -= 1;
    quota.used += 1;
    return { kind: 'allowed', month: quota.month };
  }

  /** Un-counts a request admitted in `month` that was answered 429 after all (an injected throttle fault). */
  refund(apiKey: string, month: string): void {
    const quota = this.quotas.get(apiKey);
    if (quota && quota.month === month && quota.used > 0) quota.used -= 1;
  }

  usage(apiKey: string): CareCloudUsage {
    const quota = this.quota(apiKey, this.clock());
    return { month: quota.month, used: quota.used, remaining: Math.max(0, this.limits.monthlyQuota - quota.used) };
  }

  private quota(apiKey: string, now: number): Quota {
    const month = monthOf(now);
    let quota = this.quotas.get(apiKey);
    if (!quota || quota.month !== month) {
      quota = { month, used: 0 };
      this.quotas.set(apiKey, quota);
    }
    return quota;
  }

  private refill(apiKey: string, now: number): Bucket {
    let bucket = this.buckets.get(apiKey);
    if (!bucket) {
      bucket = { tokens: this.limits.burst, at: now };
      this.buckets.set(apiKey, bucket);
    }
    // A clock stepped backwards by a test must not drain the bucket.
    const elapsedMs = Math.max(0, now - bucket.at);
    // Capping at the current burst also applies a burst lowered at run time straight away.
    bucket.tokens = Math.min(this.limits.burst, bucket.tokens + (elapsedMs / 1000) * this.limits.ratePerSecond);
    bucket.at = now;
    return bucket;
  }
}
