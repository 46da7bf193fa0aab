/**
 * Every vendor's own error reading, for the statuses that mean "our request was wrong": none may call them
 * server errors, which would be retried and counted against the vendor's circuit breaker.
 */
import { describe, expect, it } from 'vitest';
import type { ClassifiedError } from '../../src/upstream/adapter.ts';
import { UpstreamError } from '../../src/upstream/errors.ts';
import type { UpstreamResponse } from '../../src/upstream/request.ts';
import { isRetryable, isTransient } from '../../src/upstream/retry.ts';
import { classifyError as careCloud } from '../../src/vendors/carecloud/responses.ts';
import { classifyError as careHq } from '../../src/vendors/carehq/responses.ts';
import { casewareResponses } from '../../src/vendors/caseware/responses.ts';
import { classifyError as clinicea } from '../../src/vendors/clinicea/responses.ts';
import { classifyError as generic } from '../../src/vendors/generic/responses.ts';

const classifiers: Array<[string, (response: UpstreamResponse, now: number) => ClassifiedError]> = [
  ['carehq', careHq],
  ['clinicea', clinicea],
  ['caseware', casewareResponses().classifyError],
  ['carecloud', (response, now) => careCloud(response, now, 100)],
  ['generic', generic],
];

function response(status: number, body: unknown): UpstreamResponse {
  const text = body === undefined ? '' : JSON.stringify(body);
  return { status, headers: new Headers(text ? { 'content-type': 'application/json' } : {}), body, bytes: new TextEncoder().encode(text) };
}

const cases = classifiers.flatMap(([vendor, classify]) =>
  [400, 413, 414, 422, 431].flatMap((status) => [
    [vendor, status, 'no body', classify, undefined] as const,
    [vendor, status, 'a message', classify, { message: 'Request Header Fields Too Large', Message: 'too long' }] as const,
  ]),
);

describe("a vendor's 4xx is the caller's problem", () => {
  it.each(cases)('%s %i with %s: bad_request, neither retried nor counted', (_vendor, status, _what, classify, body) => {
    const classified = classify(response(status, body), Date.now());
    expect(classified.problem.kind).toBe('bad_request');
    const error = new UpstreamError('test', classified.problem, classified.message, status);
    expect(isRetryable(error, true)).toBe(false);
    expect(isTransient(error)).toBe(false);
  });

  it("the Generic API's INTERNAL code on a 4xx is still the caller's problem", () => {
    const classified = generic(response(431, { error: { code: 'INTERNAL', message: 'header too large' } }), Date.now());
    expect(classified.problem.kind).toBe('bad_request');
  });
});
