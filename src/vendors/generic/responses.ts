/**
 * Reading the Generic OAuth2 API's answers: its rate-limit headers in every style seen in the wild, and its
 * error body `{"error":{"code","message","details"}}` (vendors.md, "Generic OAuth2 API").
 */
import type { ClassifiedError } from '../../upstream/adapter.ts';
import { isProblem, problemForStatus, type UpstreamProblem } from '../../upstream/errors.ts';
import { parseRetryAfter, readIetfRateLimit, readLimitRemainingReset } from '../../upstream/rate-headers.ts';
import type { RateSignal } from '../../upstream/rate-limit.ts';
import type { UpstreamResponse } from '../../upstream/request.ts';
import { GENERIC_RATE_HEADERS, type GenericBulkItem, type GenericError, type GenericErrorBody } from './wire.ts';

/**
 * The classic `X-RateLimit-*` triple (Reset as epoch seconds, epoch ms or a delta: parseReset tells them
 * apart) over the IETF fields, so a server that sends both is read by the fields it documents first.
 * `Retry-After` wins on a 429 or 503; a 429 without it waits for the reset, else `fallbackWaitMs`.
 */
export function readRateSignal(response: UpstreamResponse, now: number, fallbackWaitMs = 1000): RateSignal {
  const signal: RateSignal = {
    ...readIetfRateLimit(response.headers, now),
    ...readLimitRemainingReset(response.headers, now, GENERIC_RATE_HEADERS),
  };
  if (response.status !== 429 && response.status !== 503) return signal;
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), now);
  if (retryAfterMs !== undefined) return { ...signal, retryAfterMs };
  if (response.status === 503) return signal;
  const untilReset = signal.resetAt !== undefined ? Math.max(0, signal.resetAt - now) : fallbackWaitMs;
  return { ...signal, retryAfterMs: untilReset };
}

/**
 * A 429 that says nothing about when to come back: no Retry-After and no reset in any header style. The docs
 * ask for exponential backoff then, which is the adapter's business (it sees the streak); see throttle-backoff.ts.
 */
export function isBareThrottle(response: UpstreamResponse, now: number): boolean {
  if (response.status !== 429) return false;
  if (parseRetryAfter(response.headers.get('retry-after'), now) !== undefined) return false;
  return readRateSignal(response, now, 0).resetAt === undefined;
}

export function errorOf(body: unknown): GenericError | undefined {
  if (typeof body !== 'object' || body === null || !('error' in body)) return undefined;
  const error = (body as GenericErrorBody).error;
  if (typeof error !== 'object' || error === null) return undefined;
  return typeof error.code === 'string' ? error : undefined;
}

/** The field a vendor error names in `details.field`, when it names one. */
export function fieldOf(error: GenericError): string | null {
  const field = error.details?.field;
  return typeof field === 'string' && field ? field : null;
}

/**
 * Per-item results a failed `POST users/bulk` still carried (a 400 when no item could be created): classifyError
 * puts them in `details`, which the core carries to the UpstreamError it throws.
 */
export function bulkItemsOf(error: unknown): readonly GenericBulkItem[] | undefined {
  return isProblem(error, 'bad_request') && Array.isArray(error.details) ? (error.details as GenericBulkItem[]) : undefined;
}

function bulkItems(body: unknown): GenericBulkItem[] | undefined {
  if (typeof body !== 'object' || body === null || !('data' in body)) return undefined;
  const data = (body as { data: unknown }).data;
  return Array.isArray(data) ? (data as GenericBulkItem[]) : undefined;
}

function problemFor(response: UpstreamResponse, error: GenericError | undefined, now: number, fallbackWaitMs: number): UpstreamProblem {
  const byStatus = problemForStatus(response.status);
  switch (error?.code) {
    case 'INVALID_INPUT':
    case 'UNSUPPORTED_GRANT_TYPE': {
      const field = fieldOf(error);
      return { kind: 'bad_request', fieldErrors: field ? { [field]: [error.message] } : undefined, vendorCode: error.code };
    }
    case 'UNAUTHORIZED':
    case 'INVALID_CLIENT':
      return { kind: 'unauthorized' };
    case 'NOT_FOUND':
      return { kind: 'not_found' };
    // A reused Idempotency-Key with another body: the key, not the input, is wrong, as with a duplicate.
    case 'CONFLICT':
    case 'IDEMPOTENCY_KEY_REUSED':
      return { kind: 'conflict' };
    case 'RATE_LIMITED':
      return { kind: 'rate_limited', retryAfterMs: readRateSignal(response, now, fallbackWaitMs).retryAfterMs ?? fallbackWaitMs };
    // The status decides whether the vendor is unwell: an INTERNAL code on a 4xx still refused our request.
    case 'INTERNAL':
      return response.status >= 500 ? { kind: 'server_error' } : byStatus;
    default:
      break;
  }
  if (byStatus.kind === 'rate_limited') {
    return { kind: 'rate_limited', retryAfterMs: readRateSignal(response, now, fallbackWaitMs).retryAfterMs ?? fallbackWaitMs };
  }
  if (byStatus.kind === 'bad_request') return { ...byStatus, vendorCode: error?.code };
  return byStatus;
}

export function classifyError(response: UpstreamResponse, now: number, fallbackWaitMs = 1000): ClassifiedError {
  const error = errorOf(response.body);
  const message = error?.message ? error.message : `the Generic API answered ${response.status}`;
  const problem = problemFor(response, error, now, fallbackWaitMs);
  const items = problem.kind === 'bad_request' ? bulkItems(response.body) : undefined;
  return items ? { problem, message, details: items } : { problem, message };
}
