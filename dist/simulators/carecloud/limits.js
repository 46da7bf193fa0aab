/**
 * CareCloud's usage plan as AWS API Gateway enforces it (vendors.md, "CareCloud"): per API key, a token bucket
 * (steady rate plus a burst) and a quota per calendar month. Time comes from the injected clock so tests can
 * empty the bucket or turn the month without waiting.
 */
export const DEFAULT_CARECLOUD_LIMITS = Object.freeze({
    ratePerSecond: 10,
    burst: 20,
    monthlyQuota: 10_000,
});
export function validateLimits(limits) {
    for (const key of ['ratePerSecond', 'burst', 'monthlyQuota']) {
        const value = limits[key];
        if (!Number.isFinite(value) || value < 0) {
            throw new Error(`expected limits.${key} to be a finite number >= 0, got ${String(value)}`);
        }
    }
}
/** `YYYY-MM` of an epoch-ms instant, in UTC as AWS counts usage-plan months. */
export function monthOf(epochMs) {
    return new Date(epochMs).toISOString().slice(0, 7);
}
export class CareCloudLimiter {
    limits;
    clock;
    buckets = new Map();
    quotas = new Map();
    constructor(limits, clock) {
        this.limits = limits;
        this.clock = clock;
    }
    /**
     * Decides one request for `apiKey` and, when it is allowed, takes a token and counts it. The quota is checked
     * first, as API Gateway does; a throttled request is not counted against the quota.
     */
    admit(apiKey) {
        const now = this.clock();
        const quota = this.quota(apiKey, now);
        if (quota.used >= this.limits.monthlyQuota)
            return { kind: 'quota_exceeded' };
        const bucket = this.refill(apiKey, now);
        if (bucket.tokens < 1)
            return { kind: 'throttled' };
        bucket.tokens -= 1;
        quota.used += 1;
        return { kind: 'allowed', month: quota.month };
    }
    /** Un-counts a request admitted in `month` that was answered 429 after all (an injected throttle fault). */
    refund(apiKey, month) {
        const quota = this.quotas.get(apiKey);
        if (quota && quota.month === month && quota.used > 0)
            quota.used -= 1;
    }
    usage(apiKey) {
        const quota = this.quota(apiKey, this.clock());
        return { month: quota.month, used: quota.used, remaining: Math.max(0, this.limits.monthlyQuota - quota.used) };
    }
    quota(apiKey, now) {
        const month = monthOf(now);
        let quota = this.quotas.get(apiKey);
        if (!quota || quota.month !== month) {
            quota = { month, used: 0 };
            this.quotas.set(apiKey, quota);
        }
        return quota;
    }
    refill(apiKey, now) {
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
//# sourceMappingURL=limits.js.map