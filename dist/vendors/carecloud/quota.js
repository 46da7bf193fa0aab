/**
 * CareCloud's monthly quota as the gateway sees it. AWS API Gateway says nothing about usage (no headers, no
 * remaining count), so we count the calls the vendor counts ourselves, and remember a `LimitExceededException`
 * until the month turns (vendors.md: "on quota, stop until the month turns"). Usage-plan months are calendar
 * months in UTC.
 *
 * The count is this process's view: calls made before a restart, by other replicas or by other clients of the
 * same key are not in it, so it is a lower bound. The vendor's LimitExceeded answer is the authority; our own
 * count reaching the limit only saves the one call that would have earned it.
 */
/** `YYYY-MM` of an epoch-ms instant, in UTC. */
export function monthOf(epochMs) {
    return new Date(epochMs).toISOString().slice(0, 7);
}
/** Epoch ms of the first instant of the UTC month after the one `epochMs` falls in. */
export function startOfNextMonth(epochMs) {
    const date = new Date(epochMs);
    return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
}
export class MonthlyQuota {
    limit;
    month = '';
    used = 0;
    refused = false;
    constructor(limit) {
        this.limit = limit;
    }
    /** One call the vendor counted against the quota. */
    record(now) {
        this.roll(now);
        this.used += 1;
    }
    /** The vendor answered LimitExceeded: nothing more goes out this month. */
    markExhausted(now) {
        this.roll(now);
        this.refused = true;
    }
    exhausted(now) {
        this.roll(now);
        return this.refused || this.used >= this.limit;
    }
    status(now) {
        const exhausted = this.exhausted(now);
        return {
            month: this.month,
            used: this.used,
            limit: this.limit,
            remaining: exhausted ? 0 : this.limit - this.used,
            exhausted,
            resetsAt: new Date(startOfNextMonth(now)),
        };
    }
    /** A new month (or a clock set back into an old one) starts from nothing, as the vendor's count does. */
    roll(now) {
        const month = monthOf(now);
        if (month === this.month)
            return;
        this.month = month;
        this.used = 0;
        this.refused = false;
    }
}
//# sourceMappingURL=quota.js.map