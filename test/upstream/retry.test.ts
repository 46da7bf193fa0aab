import { describe, expect, it } from 'vitest';
import { UpstreamError, problemForStatus, type UpstreamProblem } from '../../src/upstream/errors.ts';
import { isRetryable, isTransient } from '../../src/upstream/retry.ts';

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
    ["a read cut short by the caller's own deadline", error({ kind: 'deadline_exceeded' }, true), true, false],
    ["a read refused by the request's call budget", error({ kind: 'call_budget_spent', limit: 60 }, true), true, false],
  ])('%s', (_name, failure, idempotent, expected) => {
    expect(isRetryable(failure, idempotent)).toBe(expected);
  });
});

describe('what counts against the circuit breaker', () => {
  it.each([
    ['a 5xx', { kind: 'server_error' }, true],
    ["the vendor's own timeout", { kind: 'timeout', maybeDelivered: true }, true],
    ['a connection failure', { kind: 'network', maybeDelivered: false }, true],
    ["the caller's deadline running out", { kind: 'deadline_exceeded' }, false],
    ["the request's call budget running out", { kind: 'call_budget_spent', limit: 60 }, false],
    ['a 429', { kind: 'rate_limited', retryAfterMs: 1000 }, false],
    ['a 400', { kind: 'bad_request', fieldErrors: undefined, vendorCode: undefined }, false],
    ['a 404', { kind: 'not_found' }, false],
  ] satisfies Array<[string, UpstreamProblem, boolean]>)('%s: %s', (_name, problem, counted) => {
    expect(isTransient(error(problem))).toBe(counted);
  });
});

describe("a vendor's status, when its body says nothing more", () => {
  it.each([400, 404, 405, 408, 413, 414, 418, 422, 431, 451])("%i is the caller's problem: neither retried nor counted", (status) => {
    const failure = new UpstreamError('test', problemForStatus(status), 'x', status);
    expect(isRetryable(failure, true)).toBe(false);
    expect(isTransient(failure)).toBe(false);
  });

  it.each([
    [401, 'unauthorized'],
    [403, 'forbidden'],
    [404, 'not_found'],
    [409, 'conflict'],
    [429, 'rate_limited'],
    [413, 'bad_request'],
    [414, 'bad_request'],
    [431, 'bad_request'],
    [500, 'server_error'],
    [502, 'server_error'],
    [503, 'server_error'],
  ])('%i is %s', (status, kind) => {
    expect(problemForStatus(status).kind).toBe(kind);
  });

  it.each([500, 502, 503, 504])('%i is the vendor being unwell: retried for reads and counted', (status) => {
    const failure = new UpstreamError('test', problemForStatus(status), 'x', status);
    expect(isRetryable(failure, true)).toBe(true);
    expect(isTransient(failure)).toBe(true);
  });
});
