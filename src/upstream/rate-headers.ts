/**
 * Readers for the rate-limit headers vendors send in the wild. Vendors pick the ones that apply in their
 * `readRateSignal` hook; nothing here knows which vendor it reads for.
 */
import type { RateSignal } from './rate-limit.ts';
import type { ResponseHeaders } from './response-headers.ts';

/** Header lookups go through this so tests can hand in a plain `Headers`. */
type HeaderSource = Pick<ResponseHeaders, 'get'>;

function num(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const n = Number(value.trim());
  return Number.isFinite(n) ? n : undefined;
}

/** `Retry-After` is delay-seconds or an HTTP date (RFC 9110 §10.2.3). Returns ms from now. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const seconds = num(value);
  if (seconds !== undefined) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * A reset value of unknown flavour, as epoch ms. Above 1e12 it is epoch ms, above ~1e9 epoch seconds,
 * otherwise seconds until the reset; a non-number may be an HTTP date.
 */
export function parseReset(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const n = num(value);
  if (n === undefined) {
    const date = Date.parse(value);
    return Number.isNaN(date) ? undefined : date;
  }
  if (n > 1e12) return n;
  if (n > 1e9) return n * 1000;
  return now + Math.max(0, n) * 1000;
}

export interface XRateLimitNames {
  readonly limit: string;
  readonly remaining: string;
  readonly reset: string;
}

export const X_RATELIMIT: XRateLimitNames = {
  limit: 'x-ratelimit-limit',
  remaining: 'x-ratelimit-remaining',
  reset: 'x-ratelimit-reset',
};

/** The common `X-RateLimit-Limit / -Remaining / -Reset` triple, under whatever names a vendor uses. */
export function readLimitRemainingReset(headers: HeaderSource, now: number, names = X_RATELIMIT): RateSignal {
  return compact({
    limit: num(headers.get(names.limit)),
    remaining: num(headers.get(names.remaining)),
    resetAt: parseReset(headers.get(names.reset), now),
  });
}

/**
 * IETF httpapi-ratelimit-headers: the current `RateLimit: "p";r=50;t=30` with `RateLimit-Policy:
 * "p";q=100;w=60`, and the older draft's `RateLimit-Limit / -Remaining / -Reset` (reset in seconds).
 */
export function readIetfRateLimit(headers: HeaderSource, now: number): RateSignal {
  const current = headers.get('ratelimit');
  if (current !== null && /[;,]/.test(current)) {
    const items = parseStructuredList(current);
    // Several policies may be listed; the tightest one governs what we may send.
    const tightest = items
      .filter((item) => item.params.r !== undefined)
      .sort((a, b) => (a.params.r ?? 0) - (b.params.r ?? 0))[0];
    const policies = parseStructuredList(headers.get('ratelimit-policy') ?? '');
    const policy = policies.find((p) => p.name === tightest?.name) ?? policies[0];
    return compact({
      remaining: tightest?.params.r,
      resetAt: tightest?.params.t !== undefined ? now + tightest.params.t * 1000 : undefined,
      limit: policy?.params.q,
    });
  }
  return compact({
    limit: num(headers.get('ratelimit-limit')),
    remaining: num(headers.get('ratelimit-remaining')),
    resetAt: (() => {
      const reset = num(headers.get('ratelimit-reset'));
      return reset === undefined ? undefined : now + reset * 1000;
    })(),
  });
}

interface StructuredItem {
  readonly name: string;
  readonly params: Readonly<Record<string, number>>;
}

/** Just enough of RFC 8941 lists for rate-limit fields: `"name";k=1;k2=2, "other";k=3`. */
function parseStructuredList(value: string): StructuredItem[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [rawName = '', ...rawParams] = part.split(';').map((s) => s.trim());
      const params: Record<string, number> = {};
      for (const param of rawParams) {
        const [k, v] = param.split('=');
        const n = num(v ?? null);
        if (k && n !== undefined) params[k.toLowerCase()] = n;
      }
      return { name: rawName.replace(/^"|"$/g, ''), params };
    });
}

/** Drops undefined fields so that `{...a, ...b}` merges never overwrite a reading with nothing. */
export function compact(signal: { [K in keyof RateSignal]: RateSignal[K] | undefined }): RateSignal {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(signal)) if (value !== undefined) out[key] = value;
  return out as RateSignal;
}
