import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildOutgoing } from '../../src/upstream/request.ts';
import { NonceLedger, verifyCareHqSignature } from '../../src/simulators/carehq/signature.ts';
import { canonicalParams, signRequest, stringToSign } from '../../src/vendors/carehq/auth.ts';

describe('CareHQ v2 signing', () => {
  it('builds the string to sign as the official SDKs do', () => {
    const params: Array<[string, string]> = [
      ['filters-q', 'ann smith'],
      ['attributes', 'last_name'],
      ['attributes', 'first_name'],
    ];
    expect(canonicalParams(params)).toBe('attributes=first_name\nattributes=last_name\nfilters-q=ann smith');
    expect(stringToSign('1700000000', 'n0nce', 'get', '/users/', params)).toBe(
      '1700000000\nn0nce\nGET\n/v1/users\nattributes=first_name\nattributes=last_name\nfilters-q=ann smith',
    );
    expect(stringToSign('1', 'n', 'DELETE', 'care-enquiries/abc', [])).toBe('1\nn\nDELETE\n/v1/care-enquiries/abc\n');
  });

  it('signs the form body for writes and the query for reads, and never sends the secret', () => {
    const credentials = { accountId: 'acc', apiKey: 'key', apiSecret: 'top-secret' };
    const put = buildOutgoing('http://x/v1/', { method: 'PUT', path: 'care-enquiries', form: { first_name: 'Ann', genders: ['female'] }, query: { ignored: 1 } });
    const signed = signRequest(put, credentials, 1_700_000_000_500, 'abc');
    const expected = createHmac('sha256', 'top-secret')
      .update('1700000000\nabc\nPUT\n/v1/care-enquiries\nfirst_name=Ann\ngenders=female')
      .digest('hex');
    expect(signed.headers).toMatchObject({
      'x-carehq-accountid': 'acc',
      'x-carehq-apikey': 'key',
      'x-carehq-nonce': 'abc',
      'x-carehq-timestamp': '1700000000',
      'x-carehq-signature-version': '2.0',
      'x-carehq-signature': expected,
    });
    expect(JSON.stringify(signed)).not.toContain('top-secret');
  });
});

/**
 * vendors.md's three vectors, computed with the official Python SDK's own `_canonical_params_str` and
 * `_compute_signature` (secret `s3cr3t-demo`, timestamp `1764633600`). Literal strings, so that the signer and
 * the verifier are each held to the SDK, not to each other.
 */
const VECTORS = [
  {
    name: 'GET care-enquiries with page, per_page, sort_by and a filter',
    method: 'GET',
    path: 'care-enquiries',
    query: { page: 2, per_page: 100, sort_by: '-created', 'filters-funding_type': 'private' },
    form: undefined,
    nonce: 'abcDEF123_-xyz987',
    toSign: '1764633600\nabcDEF123_-xyz987\nGET\n/v1/care-enquiries\nfilters-funding_type=private\npage=2\nper_page=100\nsort_by=-created',
    signature: 'ffd98d478370ce0f2010c7cdc39ba47a932b4849bb921f3e1fa74aaf1ed904ba',
  },
  {
    name: 'PUT care-enquiries with a form',
    method: 'PUT',
    path: 'care-enquiries',
    query: undefined,
    form: { first_name: 'Edith', last_name: 'Crawley', email: 'edith@example.org' },
    nonce: 'nonce-2',
    toSign: undefined,
    signature: '0beca20df92db1bfe66c8970a821af578d5d3d9a8597ff4afaf86c51850256ec',
  },
  {
    name: 'GET users with a repeated attributes key',
    method: 'GET',
    path: 'users',
    query: { attributes: ['first_name', 'last_name'], page: 1 },
    form: undefined,
    nonce: 'nonce-3',
    toSign: undefined,
    toSignEnd: 'attributes=first_name\nattributes=last_name\npage=1',
    signature: 'd8abf1e6973a8e26de8b9a70266839974cbf50becde5cb0b1f866aefa0380557',
  },
] as const;

describe('CareHQ signing vectors from vendors.md (official SDK)', () => {
  const credentials = { accountId: 'acc', apiKey: 'key', apiSecret: 's3cr3t-demo' };

  it.each(VECTORS)('the client signs $name exactly as the SDK does', (vector) => {
    const request = buildOutgoing('http://127.0.0.1/v1/', { method: vector.method, path: vector.path, query: vector.query, form: vector.form });
    if (vector.toSign) expect(stringToSign('1764633600', vector.nonce, vector.method, vector.path, request.params)).toBe(vector.toSign);
    if ('toSignEnd' in vector) expect(stringToSign('1764633600', vector.nonce, vector.method, vector.path, request.params).endsWith(`\n${vector.toSignEnd}`)).toBe(true);
    const signed = signRequest(request, credentials, 1_764_633_600_000, vector.nonce);
    expect(signed.headers['x-carehq-signature']).toBe(vector.signature);
    expect(signed.headers['x-carehq-timestamp']).toBe('1764633600');
  });

  it.each(VECTORS)('the simulator accepts $name with the SDK\'s signature, and refuses it with one hex digit changed', (vector) => {
    const request = buildOutgoing('http://127.0.0.1/v1/', { method: vector.method, path: vector.path, query: vector.query, form: vector.form });
    const headers = (signature: string) => ({
      'x-carehq-timestamp': '1764633600',
      'x-carehq-nonce': vector.nonce,
      'x-carehq-signature': signature,
      'x-carehq-signature-version': '2.0',
    });
    const ctx = () => ({ secret: 's3cr3t-demo', nowSeconds: 1_764_633_600, toleranceSeconds: 300, nonces: new NonceLedger() });
    const verify = (signature: string) =>
      verifyCareHqSignature({ method: vector.method, path: vector.path, params: request.params, headers: headers(signature) }, ctx());
    expect(verify(vector.signature)).toEqual({ kind: 'ok' });
    const flipped = `${vector.signature.slice(0, -1)}${vector.signature.endsWith('0') ? '1' : '0'}`;
    expect(verify(flipped).kind).toBe('rejected');
  });
});
