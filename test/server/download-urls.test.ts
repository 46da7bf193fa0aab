/**
 * The signer behind `File.downloadUrl`, with a clock the test moves: what a URL holds, how long it lives, what
 * counts as tampering, and which processes accept each other's URLs.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DownloadUrls, type DownloadUrlOptions } from '../../src/server/download-urls.ts';

const SECRET = 'a-cursor-secret-of-32-characters';
const FILE_ID = 'djE6Q0FSRUNMT1VEOkZpbGU6cmVwb3J0LnBkZg';

function signer(options: Partial<DownloadUrlOptions> = {}, start = 1_700_000_000_000) {
  const clock = { ms: start, now: () => clock.ms };
  const urls = new DownloadUrls({ publicUrl: () => 'https://graph.example.com', secret: SECRET, clock, ...options });
  return { urls, clock };
}

const queryOf = (url: string): URLSearchParams => new URL(url).searchParams;

describe('DownloadUrls', () => {
  it('makes <publicUrl>/files/download/<id>?expires=<epoch s>&sig=<43 base64url characters>', () => {
    const { urls } = signer();
    const url = new URL(urls.url(FILE_ID));
    expect(`${url.origin}${url.pathname}`).toBe(`https://graph.example.com/files/download/${FILE_ID}`);
    expect(url.searchParams.get('expires')).toBe(String(1_700_000_000 + 300));
    expect(url.searchParams.get('sig')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('is valid until the expiry second, and expired from then on', () => {
    const { urls, clock } = signer({ ttlS: 10 }, 1_700_000_000_400);
    const query = queryOf(urls.url(FILE_ID));
    // Rounded up to the whole second: the URL never lives less than ttlS.
    expect(Number(query.get('expires'))).toBe(1_700_000_011);
    clock.ms = 1_700_000_010_999;
    expect(urls.check(FILE_ID, query)).toBe('valid');
    clock.ms = 1_700_000_011_000;
    expect(urls.check(FILE_ID, query)).toBe('expired');
  });

  const OTHER_ID = 'djE6Q0FSRUNMT1VEOkZpbGU6b3RoZXIucGRm';
  const edit = (change: (q: URLSearchParams) => void) => (q: URLSearchParams) => (change(q), q);

  it.each<[string, (q: URLSearchParams) => URLSearchParams, string, string]>([
    ['no query', () => new URLSearchParams(), FILE_ID, 'absent'],
    ['its own query', (q) => q, FILE_ID, 'valid'],
    ['another file’s id', (q) => q, OTHER_ID, 'invalid'],
    ['a changed expiry', edit((q) => q.set('expires', String(Number(q.get('expires')) + 1))), FILE_ID, 'invalid'],
    ['a non-numeric expiry', edit((q) => q.set('expires', '1e12')), FILE_ID, 'invalid'],
    ['a changed signature', edit((q) => q.set('sig', `${q.get('sig')?.startsWith('A') ? 'B' : 'A'}${(q.get('sig') ?? '').slice(1)}`)), FILE_ID, 'invalid'],
    ['a padded signature', edit((q) => q.set('sig', `${q.get('sig') ?? ''}=`)), FILE_ID, 'invalid'],
    ['no signature', edit((q) => q.delete('sig')), FILE_ID, 'invalid'],
    ['two expiries', edit((q) => q.append('expires', q.get('expires') ?? '')), FILE_ID, 'invalid'],
  ])('calls a download with %s for %s %s', (_case, change, id, expected) => {
    const { urls } = signer();
    expect(urls.check(id, change(queryOf(urls.url(FILE_ID))))).toBe(expected);
  });

  it('replicas sharing CURSOR_SECRET accept each other’s URLs; another secret does not', () => {
    const url = signer().urls.url(FILE_ID);
    expect(signer().urls.check(FILE_ID, queryOf(url))).toBe('valid');
    expect(signer({ secret: `${SECRET}-other` }).urls.check(FILE_ID, queryOf(url))).toBe('invalid');
  });

  it('without a secret each process has a random key: its own URLs pass, another process’s do not', () => {
    const one = signer({ secret: undefined }).urls;
    const two = signer({ secret: undefined }).urls;
    const url = one.url(FILE_ID);
    expect(one.check(FILE_ID, queryOf(url))).toBe('valid');
    expect(two.check(FILE_ID, queryOf(url))).toBe('invalid');
  });

  it('signs with a key derived from the secret, not the secret itself (which keys cursors)', () => {
    const query = queryOf(signer().urls.url(FILE_ID));
    const withRawSecret = createHmac('sha256', SECRET).update(`${FILE_ID}\n${query.get('expires') ?? ''}`).digest('base64url');
    expect(query.get('sig')).not.toBe(withRawSecret);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses a TTL of %s seconds', (ttlS) => {
    expect(() => signer({ ttlS })).toThrow(`expected downloadUrlTtlS to be a whole number of seconds from 1, got ${String(ttlS)}`);
  });

  it('takes a TTL of 1 second', () => {
    expect(signer({ ttlS: 1 }).urls.ttlS).toBe(1);
  });
});
