import { UpstreamError, problemForStatus } from "../../upstream/errors.js";
import { parseRetryAfter } from "../../upstream/rate-headers.js";
/** A 429 without Retry-After waits one window of the per-second limit. */
const DEFAULT_RETRY_AFTER_MS = 1000;
/** Vendor messages can echo what we sent; keep them short enough to show. */
const MAX_MESSAGE_LENGTH = 300;
const WINDOW_MS = 1000;
/** Quiet time after which a lowered rate creeps back up by one call per second. */
const RECOVER_AFTER_MS = 10_000;
export function retryAfterMs(response, now) {
    return parseRetryAfter(response.headers.get('retry-after'), now) ?? DEFAULT_RETRY_AFTER_MS;
}
/**
 * Learns the key's real per-second limit from 429s, since no header states it. The calls Clinicea accepted
 * in the second before a 429 are what it allows (the configured rate may be the documented one while the
 * account's is lower, or another client may share the key); the budget drops to that, never below one.
 * After RECOVER_AFTER_MS without a 429 it rises by one per quiet period, back to the configured rate, so a
 * passing squeeze does not slow the gateway for good. Per process; the budget it adjusts may be shared.
 */
export class RateLearner {
    configured;
    accepted = [];
    estimate;
    quietSince = Number.NEGATIVE_INFINITY;
    constructor(configured) {
        this.configured = configured;
        this.estimate = configured;
    }
    read(response, now) {
        while (this.accepted.length > 0 && (this.accepted[0] ?? now) <= now - WINDOW_MS)
            this.accepted.shift();
        if (response.status === 429) {
            const learned = Math.max(1, Math.min(this.estimate, this.accepted.length));
            this.estimate = learned;
            this.quietSince = now;
            return { limit: learned, retryAfterMs: retryAfterMs(response, now) };
        }
        if (response.status < 200 || response.status >= 300)
            return {};
        this.accepted.push(now);
        if (this.estimate < this.configured && now - this.quietSince >= RECOVER_AFTER_MS) {
            this.estimate += 1;
            this.quietSince = now;
            return { limit: this.estimate };
        }
        return {};
    }
}
function vendorMessage(body) {
    if (typeof body !== 'object' || body === null || !('Message' in body))
        return undefined;
    const message = body.Message;
    if (typeof message !== 'string' || message.trim() === '')
        return undefined;
    return message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH)}...` : message;
}
export function classifyError(response, now) {
    const message = vendorMessage(response.body) ?? `Clinicea answered ${response.status}`;
    const problem = problemForStatus(response.status);
    if (problem.kind === 'rate_limited') {
        return { problem: { kind: 'rate_limited', retryAfterMs: retryAfterMs(response, now) }, message };
    }
    return { problem, message };
}
/**
 * A query we will not send because the vendor could only refuse it. Final: retrying cannot help. Keyed by
 * our field name so a form can show it next to the right input.
 */
export function invalidQuery(field, message) {
    return new UpstreamError('clinicea', { kind: 'bad_request', fieldErrors: { [field]: [message] }, vendorCode: undefined }, message, undefined, true);
}
//# sourceMappingURL=responses.js.map