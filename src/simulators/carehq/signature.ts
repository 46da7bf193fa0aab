/**
 * How the CareHQ simulator checks a request's signature (vendors.md, "CareHQ", signing). Written from the
 * vendor's SDKs, not shared with the gateway's signer: if both read the docs the same wrong way, a shared
 * implementation would hide it.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { CAREHQ_AUTH_HEADERS, CAREHQ_PREFIX } from '../../vendors/carehq/wire.ts';

export type CareHqVerdict = { readonly kind: 'ok' } | { readonly kind: 'rejected'; readonly hint: string };

export interface SignedRequest {
  readonly method: string;
  /** Path below `/v1`, e.g. `care-enquiries/abc`; surrounding slashes are ignored. */
  readonly path: string;
  /** The query for GET, the form body otherwise, in the order the client sent them. */
  readonly params: ReadonlyArray<readonly [string, string]>;
  readonly headers: IncomingHttpHeaders;
}

export interface VerifyContext {
  readonly secret: string;
  /** The simulator's clock, epoch seconds (may be fractional). */
  readonly nowSeconds: number;
  /** How far a timestamp may stray from `nowSeconds`, in seconds. */
  readonly toleranceSeconds: number;
  readonly nonces: NonceLedger;
}

/** Sorted `[key, value]` pairs: keys sorted, each key's values sorted, as both SDK schemes order them. */
export function canonicalPairs(params: ReadonlyArray<readonly [string, string]>): Array<[string, string]> {
  const byKey = new Map<string, string[]>();
  for (const [key, value] of params) byKey.set(key, [...(byKey.get(key) ?? []), value]);
  const out: Array<[string, string]> = [];
  for (const key of [...byKey.keys()].sort()) {
    for (const value of (byKey.get(key) ?? []).sort()) out.push([key, value]);
  }
  return out;
}

/** Version 2.0: the lines the HMAC covers. No parameters still leaves a trailing `\n` after the path. */
export function stringToSignV2(
  timestamp: string,
  nonce: string,
  method: string,
  path: string,
  params: ReadonlyArray<readonly [string, string]>,
): string {
  const cleanPath = path.replace(/^\/+|\/+$/g, '');
  const lines = canonicalPairs(params).map(([key, value]) => `${key}=${value}`);
  return [timestamp, nonce, method.toUpperCase(), `${CAREHQ_PREFIX}/${cleanPath}`, lines.join('\n')].join('\n');
}

export function signV2(secret: string, toSign: string): string {
  return createHmac('sha256', secret).update(toSign, 'utf8').digest('hex');
}

/** Legacy: SHA-1 of timestamp + every key followed by its values + secret. */
export function signLegacy(secret: string, timestamp: string, pairs: ReadonlyArray<readonly [string, string]>): string {
  let body = '';
  let previous: string | undefined;
  for (const [key, value] of pairs) {
    // A key is written once, then each of its values, so pairs must arrive grouped by key.
    if (key !== previous) body += key;
    body += value;
    previous = key;
  }
  return createHash('sha1').update(`${timestamp}${body}${secret}`, 'utf8').digest('hex');
}

export type NonceClaim =
  /** First use: recorded. */
  | 'claimed'
  /** Seen before, within the window: a replay. */
  | 'replayed'
  /** At or before a timestamp the ledger had to forget nonces of, so a replay cannot be ruled out. */
  | 'forgotten';

export interface NonceLedgerOptions {
  /**
   * Nonces remembered at most. Past it the oldest is forgotten early, and every timestamp at or before its
   * timestamp is refused from then on, so a forgotten nonce still cannot be replayed. Default 100,000 (a
   * window of 300 s at over 300 requests a second).
   */
  readonly maxEntries?: number;
}

/**
 * Remembers v2 nonces for as long as their timestamp would still pass the staleness check; after that the
 * timestamp check alone rejects a replay, so the entry can go. A claim is a map lookup: entries sit in the
 * order they were claimed, and expiry drops them from the front until the first one still live. Timestamps
 * arrive a little out of order (clients' clocks differ), so an expired entry behind a live one waits for it;
 * that lag is at most the tolerance twice over, and the bound holds regardless.
 */
export class NonceLedger {
  /** nonce -> its timestamp (epoch seconds), oldest claim first. */
  private readonly seen = new Map<string, number>();
  private readonly maxEntries: number;
  /** Timestamps at or below this are refused: nonces that old may have been forgotten to keep the bound. */
  private floorSeconds = Number.NEGATIVE_INFINITY;

  constructor(options: NonceLedgerOptions = {}) {
    const maxEntries = options.maxEntries ?? 100_000;
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new Error(`expected maxEntries to be a whole number >= 1, got ${String(maxEntries)}`);
    }
    this.maxEntries = maxEntries;
  }

  claim(nonce: string, timestampSeconds: number, nowSeconds: number, toleranceSeconds: number): NonceClaim {
    this.expire(nowSeconds, toleranceSeconds);
    const at = this.seen.get(nonce);
    if (at !== undefined && at + toleranceSeconds >= nowSeconds) return 'replayed';
    if (timestampSeconds <= this.floorSeconds) return 'forgotten';
    // Deleted first so that a nonce reused after its entry went stale moves to the back, in claim order.
    this.seen.delete(nonce);
    this.seen.set(nonce, timestampSeconds);
    if (this.seen.size > this.maxEntries) this.forgetOldest();
    return 'claimed';
  }

  get size(): number {
    return this.seen.size;
  }

  private expire(nowSeconds: number, toleranceSeconds: number): void {
    for (const [nonce, at] of this.seen) {
      if (at + toleranceSeconds >= nowSeconds) return;
      this.seen.delete(nonce);
    }
  }

  private forgetOldest(): void {
    const oldest = this.seen.entries().next();
    if (oldest.done) return;
    const [nonce, at] = oldest.value;
    this.seen.delete(nonce);
    this.floorSeconds = Math.max(this.floorSeconds, at);
  }
}

/** Checks the signature headers of a request whose account id and API key are already known to be right. */
export function verifyCareHqSignature(req: SignedRequest, ctx: VerifyContext): CareHqVerdict {
  const timestamp = header(req.headers, CAREHQ_AUTH_HEADERS.timestamp);
  const signature = header(req.headers, CAREHQ_AUTH_HEADERS.signature);
  const version = header(req.headers, CAREHQ_AUTH_HEADERS.signatureVersion);
  if (!timestamp || !signature) {
    return reject('Missing X-CareHQ-Timestamp or X-CareHQ-Signature header.');
  }
  // The v2 SDKs send integer seconds; the legacy PHP SDK sends microtime(true), e.g. `1717232400.1234`.
  const pattern = version === undefined ? /^\d+(\.\d+)?$/ : /^\d+$/;
  if (!pattern.test(timestamp)) return reject('X-CareHQ-Timestamp must be epoch seconds.');
  const skew = Math.abs(Number(timestamp) - ctx.nowSeconds);
  if (skew > ctx.toleranceSeconds) {
    return reject(`Stale timestamp: more than ${ctx.toleranceSeconds} seconds from the server's time.`);
  }

  if (version === undefined) return verifyLegacy(req, ctx, timestamp, signature);
  if (version !== '2.0') return reject('Unsupported X-CareHQ-Signature-Version; expected 2.0.');

  const nonce = header(req.headers, CAREHQ_AUTH_HEADERS.nonce);
  if (!nonce) return reject('Missing X-CareHQ-Nonce header.');
  const expected = signV2(ctx.secret, stringToSignV2(timestamp, nonce, req.method, decodePath(req.path), req.params));
  if (!sameHex(expected, signature)) return reject('Signature does not match the request.');
  // Claimed only after the signature holds, so a forger cannot burn nonces that a real client will use.
  const claim = ctx.nonces.claim(nonce, Number(timestamp), ctx.nowSeconds, ctx.toleranceSeconds);
  if (claim === 'replayed') return reject('Nonce already used; every request needs a fresh X-CareHQ-Nonce.');
  if (claim === 'forgotten') {
    return reject('Timestamp too old for the nonces this server still remembers; sign again with the current time.');
  }
  return { kind: 'ok' };
}

function verifyLegacy(req: SignedRequest, ctx: VerifyContext, timestamp: string, signature: string): CareHqVerdict {
  // The documented order is sorted; the old Python and PHP SDKs concatenate in insertion order, which is the
  // order the parameters arrive in. Either is accepted, as both clients exist in the wild.
  const sorted = signLegacy(ctx.secret, timestamp, canonicalPairs(req.params));
  const asSent = signLegacy(ctx.secret, timestamp, groupedInArrivalOrder(req.params));
  if (sameHex(sorted, signature) || sameHex(asSent, signature)) return { kind: 'ok' };
  return reject('Signature does not match the request.');
}

function groupedInArrivalOrder(params: ReadonlyArray<readonly [string, string]>): Array<[string, string]> {
  const byKey = new Map<string, string[]>();
  for (const [key, value] of params) byKey.set(key, [...(byKey.get(key) ?? []), value]);
  return [...byKey].flatMap(([key, values]) => values.map((value): [string, string] => [key, value]));
}

function sameHex(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given.toLowerCase(), 'utf8');
  // timingSafeEqual throws on unequal lengths; compare against itself so the time spent does not reveal it.
  if (a.length !== b.length) {
    timingSafeEqual(a, a);
    return false;
  }
  return timingSafeEqual(a, b);
}

/** Clients sign the path as they wrote it, before their HTTP library percent-encoded it. */
function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function reject(hint: string): CareHqVerdict {
  return { kind: 'rejected', hint };
}
