import { describe, expect, it } from 'vitest';
import { careCloudAdapter, resolveCareCloudOptions } from '../../src/vendors/carecloud/index.ts';
import { MonthlyQuota } from '../../src/vendors/carecloud/quota.ts';
import { MemoryQuotaStore } from '../../src/upstream/quota-store.ts';
import type { GenericTokens } from '../../src/vendors/generic/auth.ts';
import { genericAdapter, genericSettings } from '../../src/vendors/generic/index.ts';
import { ThrottleBackoff } from '../../src/vendors/throttle-backoff.ts';
import type { UpstreamResponse } from '../../src/upstream/request.ts';

const NOW = Date.UTC(2026, 11, 2);

function answer(status: number, headers: Record<string, string> = {}, body: unknown = {}): UpstreamResponse {
  return { status, headers: new Headers(headers), body, bytes: new Uint8Array() };
}

describe('ThrottleBackoff', () => {
  it.each([
    ['no jitter drawn (random 0): half of each doubling', () => 0, [500, 1000, 2000, 4000, 4000]],
    ['the most jitter (random ~1): each doubling in full', () => 0.999_999, [1000, 2000, 4000, 8000, 8000]],
  ])('doubles per bare 429 in a row up to the cap, with %s', (_name, random, waits) => {
    const backoff = new ThrottleBackoff({ baseMs: 1000, maxMs: 8000, random });
    let now = NOW;
    expect(waits.map(() => { const wait = backoff.next(now); now += wait; return wait; })).toEqual(waits);
    backoff.reset();
    expect(backoff.next(now)).toBe(waits[0]);
  });

  it('does not double for 429s that arrive while the last wait is still running: they met the same wall', () => {
    const backoff = new ThrottleBackoff({ baseMs: 1000, maxMs: 8000, random: () => 0 });
    expect([0, 10, 20, 499].map((dt) => backoff.next(NOW + dt))).toEqual([500, 500, 500, 500]);
    expect(backoff.next(NOW + 1000)).toBe(1000);
    expect(backoff.consecutive).toBe(2);
  });

  it('spreads the waits of clients that hit the same wall', () => {
    const waits = new Set(Array.from({ length: 20 }, () => new ThrottleBackoff({ baseMs: 1000, maxMs: 8000 }).next(NOW)));
    expect(waits.size).toBeGreaterThan(5);
    for (const wait of waits) expect(wait).toBeGreaterThanOrEqual(500);
  });

  it('refuses a cap below the base, saying what arrived', () => {
    expect(() => new ThrottleBackoff({ baseMs: 1000, maxMs: 10 })).toThrow('expected 0 < baseMs <= maxMs, got baseMs 1000 and maxMs 10');
  });
});

describe('adapters back off exponentially on 429s that give no reset, and start over after a success', () => {
  it('Generic API: a bare 429 doubles the wait; Retry-After or a reset still wins; a 200 resets the streak', () => {
    const settings = genericSettings({ baseUrl: 'http://127.0.0.1:1/api/v1/', tokenUrl: 'http://127.0.0.1:1/oauth/token', credentials: { clientId: 'c', clientSecret: 's' } });
    const adapter = genericAdapter(settings, {} as GenericTokens, () => 0.999_999);
    const bare = answer(429, {}, { error: { code: 'RATE_LIMITED', message: 'slow down' } });
    const at = (s: number) => NOW + s * 1000;
    const waits = [0, 1, 3].map((s) => adapter.readRateSignal(bare, at(s)).retryAfterMs);
    expect(waits).toEqual([1000, 2000, 4000]);
    // classifyError reports the same wait as the signal for that answer: the streak moves once per 429.
    expect(adapter.classifyError(bare, at(3)).problem).toEqual({ kind: 'rate_limited', retryAfterMs: 4000 });
    expect(adapter.readRateSignal(answer(429, { 'retry-after': '3' }), at(7)).retryAfterMs).toBe(3000);
    expect(adapter.readRateSignal(answer(429, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '7' }), at(7)).retryAfterMs).toBe(7000);
    expect(adapter.readRateSignal(bare, at(7)).retryAfterMs).toBe(8000);
    adapter.readRateSignal(answer(200), at(20));
    expect(adapter.readRateSignal(bare, at(20)).retryAfterMs).toBe(1000);
  });

  it('CareCloud: each throttle in a row doubles the wait from one token refill', () => {
    const options = resolveCareCloudOptions({
      baseUrl: 'http://127.0.0.1:1/',
      credentials: { apiKey: 'k' },
      workspaceId: 'w',
      bucketId: 'b',
      ratePerSecond: 5,
    });
    const adapter = careCloudAdapter(options, new MonthlyQuota(1000, new MemoryQuotaStore(), 'carecloud:test'), () => 0.999_999);
    const throttled = answer(429, { 'x-amzn-errortype': 'TooManyRequestsException' }, { message: 'Too Many Requests' });
    expect([0, 200, 600].map((ms) => adapter.readRateSignal(throttled, NOW + ms).retryAfterMs)).toEqual([200, 400, 800]);
    expect(adapter.classifyError(throttled, NOW + 600).problem).toEqual({ kind: 'rate_limited', retryAfterMs: 800 });
    adapter.readRateSignal(answer(200), NOW + 2000);
    expect(adapter.readRateSignal(throttled, NOW + 2000).retryAfterMs).toBe(200);
  });
});
