/**
 * Reading Clinicea's answers. Errors come as ASP.NET Web API's `{"Message": "..."}`; the vendor's help lists
 * 200, 204, 400, 401, 429, 500 and 503. Clinicea sends no rate-limit headers, so the configured rate is the
 * budget until a 429 says otherwise: the 429's Retry-After pauses the key, and the 429 itself teaches a
 * lower rate (see RateLearner).
 */
import type { ClassifiedError } from '../../upstream/adapter.ts';
import { UpstreamError, problemForStatus } from '../../upstream/errors.ts';
import { parseRetryAfter } from '../../upstream/rate-headers.ts';
import type { RateSignal } from '../../upstream/rate-limit.ts';
import type { UpstreamResponse } from '../../upstream/request.ts';
import type { CliniceaErrorBody } from './wire.ts';

/** A 429 without Retry-After waits one window of the per-second limit. */
const DEFAULT_RETRY_AFTER_MS = 1000;
/** Vendor messages can echo what we sent; keep them short enough to show. */
const MAX_MESSAGE_LENGTH = 300;
const WINDOW_MS = 1000;
/** Quiet time after which a lowered rate creeps back up by one call per second. */
const RECOVER_AFTER_MS = 10_000;

export function retryAfterMs(response: UpstreamResponse, now: number): number {
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
  private readonly accepted: number[] = [];
  private estimate: number;
  private quietSince = Number.NEGATIVE_INFINITY;

  constructor(private readonly configured: number) {
    this.estimate = configured;
  }

  read(response: UpstreamResponse, now: number): RateSignal {
    while (this.accepted.length > 0 && (this.accepted[0] ?? now) <= now - WINDOW_MS) this.accepted.shift();
    if (response.status === 429) {
      const learned = Math.max(1, Math.min(this.estimate, this.accepted.length));
      this.estimate = learned;
      this.quietSince = now;
      return { limit: learned, retryAfterMs: retryAfterMs(response, now) };
    }
    if (response.status < 200 || response.status >= 300) return {};
    this.accepted.push(now);
    if (this.estimate < this.configured && now - this.quietSince >= RECOVER_AFTER_MS) {
      this.estimate += 1;
      this.quietSince = now;
      return { limit: this.estimate };
    }
    return {};
  }
}

function vendorMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || !('Message' in body)) return undefined;
  const message = (body as CliniceaErrorBody).Message;
  if (typeof message !== 'string' || message.trim() === '') return undefined;
  return message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH)}...` : message;
}

export function classifyError(response: UpstreamResponse, now: number): ClassifiedError {
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
export function invalidQuery(field: string, message: string): UpstreamError {
  return new UpstreamError(
    'clinicea',
    { kind: 'bad_request', fieldErrors: { [field]: [message] }, vendorCode: undefined },
    message,
    undefined,
    true,
  );
}
