/**
 * Reading Caseware's answers: Spring Cloud Gateway's token-bucket headers, on every response, and the error
 * body `{"errors":[{"message"}]}` (vendors.md, "Rate limit" and "Errors").
 *
 * A 429 comes with an empty body and no Retry-After, so the wait is derived: one call's cost over the
 * replenish rate, read from the 429's own headers or else from the last response that carried them. The
 * docs warn the numbers change, so nothing here assumes any of them.
 */
import type { ClassifiedError, VendorAdapter } from '../../upstream/adapter.ts';
import { problemForStatus } from '../../upstream/errors.ts';
import { compact, parseRetryAfter } from '../../upstream/rate-headers.ts';
import type { RateSignal } from '../../upstream/rate-limit.ts';
import type { ResponseHeaders } from '../../upstream/response-headers.ts';
import type { UpstreamResponse } from '../../upstream/request.ts';
import { CASEWARE_RATE_HEADERS } from './wire.ts';

/** Our name for the vendor in errors, logs and metrics. */
export const VENDOR = 'caseware';

type HeaderSource = Pick<ResponseHeaders, 'get'>;

/** Used only when neither the 429 nor any earlier answer named a usable replenish rate. */
const FALLBACK_WAIT_MS = 1000;

function num(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const n = Number(value.trim());
  return Number.isFinite(n) ? n : undefined;
}

/** The four bucket headers as a rate signal: capacity as `limit`, replenish rate, tokens left, cost. */
export function readBucketHeaders(headers: HeaderSource): RateSignal {
  return compact({
    limit: num(headers.get(CASEWARE_RATE_HEADERS.burstCapacity)),
    remaining: num(headers.get(CASEWARE_RATE_HEADERS.remaining)),
    refillPerSecond: num(headers.get(CASEWARE_RATE_HEADERS.replenishRate)),
    cost: num(headers.get(CASEWARE_RATE_HEADERS.requestedTokens)),
  });
}

/** The time for the bucket to hold one more call's tokens; undefined when no rate is known. */
export function waitForTokens(cost: number | undefined, refillPerSecond: number | undefined): number | undefined {
  if (refillPerSecond === undefined || refillPerSecond <= 0) return undefined;
  const tokens = cost !== undefined && cost > 0 ? cost : 1;
  return Math.max(1, Math.ceil((tokens / refillPerSecond) * 1000));
}

export function firstErrorMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || !('errors' in body) || !Array.isArray(body.errors)) return undefined;
  const first: unknown = body.errors[0];
  if (typeof first !== 'object' || first === null || !('message' in first)) return undefined;
  return typeof first.message === 'string' && first.message.trim() !== '' ? first.message : undefined;
}

/**
 * The adapter's response hooks. They remember the last bucket headers seen, for a 429 that carries none;
 * one reader per adapter, so per budget.
 */
export function casewareResponses(): Pick<VendorAdapter, 'readRateSignal' | 'classifyError'> {
  const last: { refillPerSecond?: number; cost?: number } = {};

  const readRateSignal = (response: UpstreamResponse, now: number): RateSignal => {
    const signal = readBucketHeaders(response.headers);
    if (signal.refillPerSecond !== undefined && signal.refillPerSecond > 0) last.refillPerSecond = signal.refillPerSecond;
    if (signal.cost !== undefined && signal.cost > 0) last.cost = signal.cost;
    if (response.status !== 429) return signal;
    const retryAfterMs =
      parseRetryAfter(response.headers.get('retry-after'), now) ??
      waitForTokens(signal.cost ?? last.cost, signal.refillPerSecond ?? last.refillPerSecond) ??
      FALLBACK_WAIT_MS;
    return { ...signal, retryAfterMs };
  };

  const classifyError = (response: UpstreamResponse, now: number): ClassifiedError => {
    const said = firstErrorMessage(response.body);
    const message = said ?? `Caseware answered ${response.status}`;
    const base = problemForStatus(response.status);
    if (base.kind === 'rate_limited') {
      const retryAfterMs = readRateSignal(response, now).retryAfterMs ?? FALLBACK_WAIT_MS;
      return { problem: { kind: 'rate_limited', retryAfterMs }, message: said ?? 'Caseware rate limit reached' };
    }
    return { problem: base, message };
  };

  return { readRateSignal, classifyError };
}
