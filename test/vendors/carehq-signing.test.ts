import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildOutgoing } from '../../src/upstream/request.ts';
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
