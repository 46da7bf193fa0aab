import { describe, expect, it } from 'vitest';
import { parseReset, parseRetryAfter, readIetfRateLimit, readLimitRemainingReset } from '../../src/upstream/rate-headers.ts';

const NOW = Date.parse('2026-11-23T12:00:00Z');

describe('reading rate-limit headers', () => {
  it.each([
    ['epoch milliseconds', String(NOW + 5000), NOW + 5000],
    ['epoch seconds', String((NOW + 5000) / 1000), NOW + 5000],
    ['fractional epoch seconds', String((NOW + 1500) / 1000), NOW + 1500],
    ['seconds until reset', '30', NOW + 30_000],
    ['an HTTP date', new Date(NOW + 60_000).toUTCString(), NOW + 60_000],
  ])('reads a reset given as %s', (_name, value, expected) => {
    expect(parseReset(value, NOW)).toBe(expected);
  });

  it.each([
    ['seconds', '7', 7000],
    ['an HTTP date', new Date(NOW + 3000).toUTCString(), 3000],
    ['nonsense', 'soon', undefined],
  ])('reads Retry-After as %s', (_name, value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });

  it('reads the X-RateLimit triple', () => {
    const headers = new Headers({ 'x-ratelimit-limit': '50', 'x-ratelimit-remaining': '3', 'x-ratelimit-reset': '12' });
    expect(readLimitRemainingReset(headers, NOW)).toEqual({ limit: 50, remaining: 3, resetAt: NOW + 12_000 });
  });

  it('reads the IETF RateLimit and RateLimit-Policy fields, the tightest policy first', () => {
    const headers = new Headers({
      ratelimit: '"default";r=50;t=30, "burst";r=4;t=2',
      'ratelimit-policy': '"default";q=100;w=60, "burst";q=10;w=5',
    });
    expect(readIetfRateLimit(headers, NOW)).toEqual({ remaining: 4, resetAt: NOW + 2000, limit: 10 });
  });

  it('reads the older RateLimit-Limit/-Remaining/-Reset draft', () => {
    const headers = new Headers({ 'ratelimit-limit': '20', 'ratelimit-remaining': '0', 'ratelimit-reset': '4' });
    expect(readIetfRateLimit(headers, NOW)).toEqual({ limit: 20, remaining: 0, resetAt: NOW + 4000 });
  });

  it('says nothing when there is nothing to read', () => {
    expect(readLimitRemainingReset(new Headers(), NOW)).toEqual({});
  });
});
