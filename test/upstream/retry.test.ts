import { describe, expect, it } from 'vitest';
import { UpstreamError, type UpstreamProblem } from '../../src/upstream/errors.ts';
import { isRetryable } from '../../src/upstream/retry.ts';

const error = (problem: UpstreamProblem, final = false) => new UpstreamError('test', problem, 'x', undefined, final);

describe('which failures are tried again', () => {
  it.each([
    ['a 429 read', error({ kind: 'rate_limited', retryAfterMs: 1 }), true, true],
    ['a 429 write (the vendor did not process it)', error({ kind: 'rate_limited', retryAfterMs: 1 }), false, true],
    ['our own queue giving up at the deadline', error({ kind: 'rate_limited', retryAfterMs: 1 }, true), true, false],
    ['a 5xx read', error({ kind: 'server_error' }), true, true],
    ['a 5xx write (it may have landed)', error({ kind: 'server_error' }), false, false],
    ['a timed-out write', error({ kind: 'timeout', maybeDelivered: true }), false, false],
    ['a write whose connection was refused (never sent)', error({ kind: 'network', maybeDelivered: false }), false, true],
    ['a write whose connection dropped', error({ kind: 'network', maybeDelivered: true }), false, false],
    ['a 400', error({ kind: 'bad_request', fieldErrors: undefined, vendorCode: undefined }), true, false],
    ['a used-up quota', error({ kind: 'quota_exhausted', resetAt: undefined }), true, false],
    ['a 401', error({ kind: 'unauthorized' }), true, false],
  ])('%s', (_name, failure, idempotent, expected) => {
    expect(isRetryable(failure, idempotent)).toBe(expected);
  });
});
