/**
 * The per-request call budget (MAX_UPSTREAM_CALLS_PER_REQUEST): how many vendor calls one GraphQL request
 * may send, across every vendor. It rides in the request's CallContext, and the pipeline (client.ts) spends
 * one unit per attempt it sends, retries included. Answers from the cache, or shared with an identical call
 * already in flight, cost nothing. Once it is spent, further calls fail before sending with
 * `call_budget_spent`: not retried (they would only fail again) and not counted by the breaker (the vendor
 * did nothing wrong).
 */
import { UpstreamError } from './errors.ts';

/** The default of MAX_UPSTREAM_CALLS_PER_REQUEST. */
export const DEFAULT_MAX_UPSTREAM_CALLS_PER_REQUEST = 60;

export class CallBudget {
  private used = 0;

  constructor(readonly limit: number = DEFAULT_MAX_UPSTREAM_CALLS_PER_REQUEST) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new Error(`expected the call budget to be a whole number of at least 1, got ${String(limit)}`);
    }
  }

  /** Calls spent so far. */
  get spent(): number {
    return this.used;
  }

  /** Spends one call; false, spending nothing, when none is left. */
  take(): boolean {
    if (this.used >= this.limit) return false;
    this.used += 1;
    return true;
  }

  /** Gives back a call taken for an attempt that was never sent (it gave up waiting for the rate budget). */
  refund(): void {
    if (this.used > 0) this.used -= 1;
  }
}

/** Final: the request has spent its calls, and no retry can change that. */
export function budgetSpentError(vendor: string, limit: number): UpstreamError {
  return new UpstreamError(
    vendor,
    { kind: 'call_budget_spent', limit },
    `this request has already made the ${limit} vendor calls one request may make; ask for fewer fields or smaller pages`,
    undefined,
    true,
  );
}
