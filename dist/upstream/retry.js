/**
 * When a failed call is tried again, and how long to wait. Backoff and circuit breaking come from cockatiel
 * (well kept, typed, no dependencies) rather than a hand-written loop.
 *
 * The rules: a 429 is always retried, since the vendor did not process it; the rate queue does the waiting,
 * so the backoff adds none. 5xx, timeouts and dropped connections are retried only for idempotent calls:
 * a write that may have reached the vendor is never sent again. A connection refused before any byte left
 * is safe to retry for any call.
 */
import { BrokenCircuitError, ConsecutiveBreaker, DelegateBackoff, circuitBreaker, decorrelatedJitterGenerator, handleWhen, retry, } from 'cockatiel';
import { UpstreamError, isUpstreamError } from "./errors.js";
export const RETRY_DEFAULTS = Object.freeze({ maxRetries: 3, initialDelayMs: 200, maxDelayMs: 5000 });
export const BREAKER_DEFAULTS = Object.freeze({ consecutiveFailures: 5, halfOpenAfterMs: 10_000 });
/** Whether a failure may be retried, given whether the call is safe to send twice. */
export function isRetryable(error, idempotent) {
    if (!isUpstreamError(error) || error.final)
        return false;
    const problem = error.problem;
    switch (problem.kind) {
        case 'rate_limited':
            return true;
        case 'server_error':
            return idempotent;
        case 'timeout':
        case 'network':
            return idempotent || !problem.maybeDelivered;
        default:
            return false;
    }
}
/** Failures that say the vendor is unwell (as opposed to our request being wrong or over budget). */
export function isTransient(error) {
    if (!isUpstreamError(error))
        return false;
    const kind = error.problem.kind;
    return kind === 'server_error' || kind === 'timeout' || kind === 'network';
}
/** 429s are retried until the deadline, not counted against `maxRetries`; this only stops a runaway. */
const MAX_RATE_LIMITED_RETRIES = 50;
/**
 * A policy for one call. 429s retry while `hasTime()` says the caller still waits (the queue does the
 * waiting); transient failures retry up to `maxRetries` times with decorrelated jitter.
 */
export function retryPolicy(idempotent, hasTime, options = RETRY_DEFAULTS) {
    let transientRetries = 0;
    const shouldRetry = (error) => {
        if (!isRetryable(error, idempotent))
            return false;
        if (isUpstreamError(error) && error.problem.kind === 'rate_limited')
            return hasTime();
        transientRetries += 1;
        return transientRetries <= options.maxRetries && hasTime();
    };
    const expo = { generator: decorrelatedJitterGenerator, maxDelay: options.maxDelayMs, initialDelay: options.initialDelayMs, exponent: 2 };
    const backoff = new DelegateBackoff((context, state) => {
        const error = 'error' in context.result ? context.result.error : undefined;
        if (isUpstreamError(error) && error.problem.kind === 'rate_limited')
            return { delay: 0, state };
        const [delay, next] = decorrelatedJitterGenerator(state, expo);
        return { delay, state: next };
    });
    return retry(handleWhen(shouldRetry), { maxAttempts: options.maxRetries + MAX_RATE_LIMITED_RETRIES, backoff });
}
export function breakerPolicy(options = BREAKER_DEFAULTS) {
    return circuitBreaker(handleWhen(isTransient), {
        halfOpenAfter: options.halfOpenAfterMs,
        breaker: new ConsecutiveBreaker(options.consecutiveFailures),
    });
}
/** An open circuit, as the upstream error the rest of the gateway understands. */
export function fromBrokenCircuit(vendor, error, halfOpenAfterMs) {
    if (!(error instanceof BrokenCircuitError))
        return error;
    return new UpstreamError(vendor, { kind: 'circuit_open', retryAfterMs: halfOpenAfterMs }, `${vendor} is failing repeatedly; calls are paused briefly`, undefined, true);
}
//# sourceMappingURL=retry.js.map