/**
 * Signed, expiring download URLs: `<publicUrl>/files/download/<File id>?expires=<epoch s>&sig=<HMAC>`. The URL
 * itself is the credential, so `File.downloadUrl` can go into an `<a href>` or a mail without the caller's key;
 * it works for `ttlS` seconds, for that file only.
 *
 * The HMAC key is derived from CURSOR_SECRET with a fixed label, so one secret gives cursors and URLs different
 * keys (a cursor MAC can never pass as a URL signature, nor the reverse), and replicas that share CURSOR_SECRET
 * accept each other's URLs. Without it the key is random per process: URLs then die with the process and work
 * only on the replica that made them.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { systemClock, type Clock } from '../upstream/clock.ts';

export const DOWNLOAD_PATH = '/files/download/';

/** Tells this key apart from the cursor key made from the same secret; changing it voids every issued URL. */
const KEY_LABEL = 'vendor-graph download-url key v1';

const DEFAULT_TTL_S = 300;
/** 32 bytes of HMAC-SHA256 in base64url, unpadded. */
const SIGNATURE = /^[A-Za-z0-9_-]{43}$/;
const EXPIRES = /^[0-9]{1,12}$/;

export interface DownloadUrlOptions {
  /** The origin (and any path prefix) clients reach the gateway at; read per URL, as it is known only once listening. */
  readonly publicUrl: () => string;
  /** CURSOR_SECRET. Default: a random key per process. */
  readonly secret?: string | undefined;
  /** How long a URL stays valid, whole seconds from 1. Default 300. */
  readonly ttlS?: number | undefined;
  /** Default: the system clock. */
  readonly clock?: Clock;
}

/**
 * What a download's query says about it. `valid`: signed by us for this id and not expired. Anything else
 * leaves the caller to show credentials instead.
 */
export type SignatureCheck = 'valid' | 'expired' | 'invalid' | 'absent';

export class DownloadUrls {
  readonly ttlS: number;
  private readonly key: Buffer;
  private readonly publicUrl: () => string;
  private readonly clock: Clock;

  constructor(options: DownloadUrlOptions) {
    const ttlS = options.ttlS ?? DEFAULT_TTL_S;
    if (!Number.isInteger(ttlS) || ttlS < 1) throw new Error(`expected downloadUrlTtlS to be a whole number of seconds from 1, got ${String(ttlS)}`);
    if (options.secret !== undefined && options.secret === '') throw new Error('expected the download URL secret (CURSOR_SECRET) to be non-empty, got ""');
    this.ttlS = ttlS;
    this.key = options.secret === undefined ? randomBytes(32) : createHmac('sha256', options.secret).update(KEY_LABEL).digest();
    this.publicUrl = options.publicUrl;
    this.clock = options.clock ?? systemClock;
  }

  /** A URL for the file with this global id, valid from now for `ttlS` seconds (rounded up to a whole second). */
  url(fileId: string): string {
    const expires = Math.ceil(this.clock.now() / 1000) + this.ttlS;
    return `${this.publicUrl()}${DOWNLOAD_PATH}${encodeURIComponent(fileId)}?expires=${expires}&sig=${this.sign(fileId, expires)}`;
  }

  /** Checks the `expires` and `sig` of a download of `fileId`. The signature is compared in constant time. */
  check(fileId: string, query: URLSearchParams): SignatureCheck {
    const expires = query.getAll('expires');
    const sig = query.getAll('sig');
    if (expires.length === 0 && sig.length === 0) return 'absent';
    const [expiresText] = expires;
    const [given] = sig;
    if (expires.length !== 1 || sig.length !== 1 || !expiresText || !given || !EXPIRES.test(expiresText) || !SIGNATURE.test(given)) {
      return 'invalid';
    }
    // Compared as text, not as decoded bytes: base64url's last character carries spare bits, and a changed
    // spare bit must not pass. Both are 43 ASCII characters here, as timingSafeEqual needs.
    const expected = Buffer.from(this.sign(fileId, Number(expiresText)), 'ascii');
    if (!timingSafeEqual(expected, Buffer.from(given, 'ascii'))) return 'invalid';
    return this.clock.now() < Number(expiresText) * 1000 ? 'valid' : 'expired';
  }

  /** Over the id and the expiry, newline-separated: a global id is base64url, so it holds no newline. */
  private sign(fileId: string, expires: number): string {
    return createHmac('sha256', this.key).update(`${fileId}\n${expires}`).digest('base64url');
  }
}
