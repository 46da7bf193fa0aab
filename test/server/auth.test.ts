/**
 * Who is calling, over real HTTP: API keys (x-api-key or Bearer), JWTs from an HS256 secret, a PEM public key
 * and a JWKS URL. A caller without good credentials gets 401 before anything runs, so no vendor is called;
 * /health stays open; /metrics needs status:read. Every log line and response is scanned for the keys,
 * secrets and tokens in play.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportPKCS8, exportSPKI, generateKeyPair, importPKCS8, SignJWT, UnsecuredJWT, type CryptoKey, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthConfig, JwtKeySource } from '../../src/config.ts';
import { apiKey, bearer, issueKey, RecordingClient } from '../helpers/auth.ts';
import { startStack, vendorCalls, type TestStack } from '../helpers/gateway.ts';
import { capturingLogger, expectNoSecrets, type CapturedLog } from '../helpers/secrets.ts';

const ENQUIRIES = '{ enquiries(first: 2) { totalCount nodes { id firstName } } }';
const ISSUER = 'https://issuer.test';
const AUDIENCE = 'vendor-graph';

interface AuthStack {
  readonly stack: TestStack;
  readonly log: CapturedLog;
  readonly client: RecordingClient;
  /** Everything that must never show up in a log line or a response. */
  readonly secrets: string[];
}

async function authStack(auth: AuthConfig, secrets: string[], limits = {}): Promise<AuthStack> {
  const log = capturingLogger();
  const stack = await startStack({ gateway: { auth, publicUrl: 'http://gateway.test', logger: log.logger, limits } });
  return { stack, log, client: new RecordingClient(), secrets };
}

function scanned(s: AuthStack): void {
  expect(s.log.lines.length).toBeGreaterThan(0);
  expectNoSecrets([...s.log.lines, ...s.client.bodies], s.secrets);
}

/** A 401 as the brief has it: GraphQL-shaped, UNAUTHENTICATED, a Bearer challenge, and no vendor called. */
async function expectUnauthenticated(s: AuthStack, headers: Record<string, string>, reason?: RegExp): Promise<void> {
  const before = vendorCalls(s.stack);
  const reply = await s.client.gql(s.stack.url, ENQUIRIES, headers);
  expect(reply.status).toBe(401);
  expect(reply.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
  // The id is the request's own, as echoed in its header: the context function threw before any plugin ran.
  const id = reply.headers.get('x-request-id');
  expect(id).toEqual(expect.any(String));
  expect(reply.body).toEqual({ errors: [{ message: expect.any(String), extensions: { code: 'UNAUTHENTICATED', requestId: id } }] });
  if (reason) expect(reply.body.errors?.[0]?.message).toMatch(reason);
  expect(vendorCalls(s.stack)).toBe(before);
}

async function expectEnquiries(s: AuthStack, headers: Record<string, string>): Promise<void> {
  const reply = await s.client.gql<{ enquiries: { totalCount: number } }>(s.stack.url, ENQUIRIES, headers);
  expect(reply.body.errors).toBeUndefined();
  expect(reply.status).toBe(200);
  expect(reply.body.data?.enquiries.totalCount).toBeGreaterThan(0);
}

describe('API keys', () => {
  const reader = issueKey('reader', ['enquiries:read']);
  const prometheus = issueKey('prometheus', ['status:read']);
  const stranger = issueKey('stranger', ['enquiries:read']);
  let s: AuthStack;

  beforeAll(async () => {
    s = await authStack({ mode: 'protected', apiKeys: [reader.record, prometheus.record], jwt: undefined }, [reader.key, prometheus.key, stranger.key]);
  });
  afterAll(() => s.stack.close());

  it('without credentials: 401 UNAUTHENTICATED with a bare Bearer challenge, and no vendor is called', async () => {
    await expectUnauthenticated(s, {}, /credentials are required/);
    const reply = await s.client.gql(s.stack.url, ENQUIRIES);
    expect(reply.headers.get('www-authenticate')).toBe('Bearer');
    expect(vendorCalls(s.stack)).toBe(0);
  });

  it.each([
    ['an unknown key in x-api-key', () => apiKey(stranger.key)],
    ['an unknown key as a Bearer token', () => bearer(stranger.key)],
    ['a known key with one character changed', () => apiKey(`${reader.key.slice(0, -1)}${reader.key.endsWith('A') ? 'B' : 'A'}`)],
    ["a known key's hash instead of the key", () => apiKey(reader.record.sha256)],
    ['a non-key Bearer token when no JWT is configured', () => bearer('eyJhbGciOiJIUzI1NiJ9.e30.x')],
    ['Basic credentials', () => ({ authorization: `Basic ${Buffer.from(`u:${reader.key}`).toString('base64')}` })],
  ])('with %s: 401 with error="invalid_token" or a bare challenge, and no vendor is called', async (_case, headers) => {
    await expectUnauthenticated(s, headers());
  });

  it.each([
    ['x-api-key', () => apiKey(reader.key)],
    ['Authorization: Bearer', () => bearer(reader.key)],
  ])('a good key in %s is served', async (_case, headers) => {
    await expectEnquiries(s, headers());
  });

  it('refuses a bad key with invalid_token in the challenge', async () => {
    const reply = await s.client.gql(s.stack.url, ENQUIRIES, apiKey(stranger.key));
    expect(reply.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(reply.body.errors?.[0]?.message).toBe('the API key is not valid');
  });

  it('/health stays open and says nothing but ok', async () => {
    const reply = await s.client.request(new URL('/health', s.stack.url));
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.text)).toEqual({ status: 'alive' });
  });

  it('/metrics: 401 without credentials, 403 without status:read, 200 with a status:read key as a Bearer token', async () => {
    const metrics = new URL('/metrics', s.stack.url);
    const anonymous = await s.client.request(metrics);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
    expect(anonymous.body.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', requestId: anonymous.headers.get('x-request-id') });
    expect(anonymous.text).not.toContain('vendor_graph_');

    const bad = await s.client.request(metrics, { headers: bearer(stranger.key) });
    expect(bad.status).toBe(401);

    const wrongScope = await s.client.request(metrics, { headers: bearer(reader.key) });
    expect(wrongScope.status).toBe(403);
    expect(wrongScope.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope", scope="status:read"');
    expect(wrongScope.body.errors?.[0]).toMatchObject({
      message: 'missing scope status:read',
      extensions: { code: 'FORBIDDEN', requestId: wrongScope.headers.get('x-request-id') },
    });
    expect(wrongScope.text).not.toContain('vendor_graph_');

    const scraped = await s.client.request(metrics, { headers: bearer(prometheus.key) });
    expect(scraped.status).toBe(200);
    expect(scraped.text).toContain('vendor_graph_upstream_requests_total');
  });

  it('_entities with more than MAX_ENTITY_REPRESENTATIONS (default 500) is BAD_USER_INPUT before any vendor call', async () => {
    const before = vendorCalls(s.stack);
    const representations = Array.from({ length: 501 }, (_, i) => ({ __typename: 'Enquiry', id: Buffer.from(`v1:CAREHQ:Enquiry:${i}`).toString('base64url') }));
    const reply = await s.client.gql(
      s.stack.url,
      'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }',
      apiKey(reader.key),
      { r: representations },
    );
    expect(reply.body.errors?.[0]).toMatchObject({ message: 'at most 500 representations at once, got 501', extensions: { code: 'BAD_USER_INPUT' } });
    expect(vendorCalls(s.stack)).toBe(before);
  });

  it('no key appears in any log line or response', () => {
    scanned(s);
  });
});

/** Signs claims for the tests: issuer, audience, subject and a 5-minute expiry unless a case overrides them. */
function claims(overrides: JWTPayload = {}): JWTPayload {
  const now = Math.floor(Date.now() / 1000);
  return { iss: ISSUER, aud: AUDIENCE, sub: 'user-1', iat: now, exp: now + 300, ...overrides };
}

type Signer = (payload: JWTPayload, header?: { kid?: string }) => Promise<string>;

/** The token cases every key source must agree on: what is accepted and what is refused with 401. */
function tokenCases(sign: () => Signer, s: () => AuthStack) {
  const now = () => Math.floor(Date.now() / 1000);

  it.each([
    ['a space-separated scope claim', { scope: 'enquiries:read users:read' }],
    ['an scp array', { scp: ['enquiries:read'] }],
    ['an scp string', { scp: 'enquiries:read' }],
    ['unknown scopes beside a known one (ignored)', { scope: 'profile openid enquiries:read email' }],
    ['an expiry 10 s past, inside the 30 s clock tolerance', { scope: 'enquiries:read', exp: now() - 10 }],
    ['a not-before 10 s ahead, inside the 30 s clock tolerance', { scope: 'enquiries:read', nbf: now() + 10 }],
  ])('accepts a token with %s', async (_case, overrides) => {
    const token = await sign()(claims(overrides));
    s().secrets.push(token);
    await expectEnquiries(s(), bearer(token));
  });

  it.each([
    ['expired (2 minutes ago)', { exp: now() - 120 }, /expired/],
    ['not yet valid (nbf in 2 minutes)', { nbf: now() + 120 }, /not valid yet/],
    ['from another issuer', { iss: 'https://evil.test' }, /issuer/],
    ['for another audience', { aud: 'someone-else' }, /audience/],
    ['without a subject', { sub: undefined }, /subject/],
    ['without an expiry', { exp: undefined }, /expiry/],
  ])('refuses a token %s with 401', async (_case, overrides, reason) => {
    const token = await sign()(claims({ scope: 'enquiries:read', ...overrides }));
    s().secrets.push(token);
    await expectUnauthenticated(s(), bearer(token), reason);
  });

  it('refuses a token with a tampered payload or signature', async () => {
    const token = await sign()(claims({ scope: 'enquiries:read' }));
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const widened = Buffer.from(JSON.stringify({ ...claims(), scope: '*' })).toString('base64url');
    const flipped = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
    s().secrets.push(token);
    await expectUnauthenticated(s(), bearer(`${header}.${widened}.${signature}`));
    await expectUnauthenticated(s(), bearer(`${header}.${payload}.${flipped}`));
  });

  it('refuses alg: none', async () => {
    const token = new UnsecuredJWT(claims({ scope: '*' })).encode();
    await expectUnauthenticated(s(), bearer(token));
  });

  it('a token grants only its scopes: the rest fail as FORBIDDEN, the answer stands', async () => {
    const token = await sign()(claims({ scp: ['enquiries:read'] }));
    s().secrets.push(token);
    const reply = await s().client.gql<{ enquiries: { totalCount: number } | null; leads: unknown }>(
      s().stack.url,
      '{ enquiries(first: 1) { totalCount } leads(first: 1) { nodes { id } } }',
      bearer(token),
    );
    expect(reply.status).toBe(200);
    expect(reply.body.data?.enquiries?.totalCount).toBeGreaterThan(0);
    expect(reply.body.data?.leads).toBeNull();
    expect(reply.body.errors).toEqual([expect.objectContaining({ path: ['leads'], extensions: expect.objectContaining({ code: 'FORBIDDEN' }) })]);
  });
}

describe('JWTs with an HS256 secret (JWT_SECRET)', () => {
  const secret = 'a-test-secret-of-at-least-32-bytes-long!';
  const key = new TextEncoder().encode(secret);
  const reader = issueKey('reader', ['enquiries:read']);
  const sign: Signer = (payload) => new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).sign(key);
  let s: AuthStack;

  beforeAll(async () => {
    s = await authStack(
      { mode: 'protected', apiKeys: [reader.record], jwt: { key: { kind: 'secret', secret }, issuer: ISSUER, audience: AUDIENCE } },
      [secret, reader.key],
    );
  });
  afterAll(() => s.stack.close());

  tokenCases(() => sign, () => s);

  it('refuses a token signed with another secret, and HS512 with the right one', async () => {
    const other = new SignJWT(claims({ scope: '*' })).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('another-secret-of-at-least-32-bytes!!'));
    await expectUnauthenticated(s, bearer(await other));
    const hs512 = await new SignJWT(claims({ scope: '*' })).setProtectedHeader({ alg: 'HS512' }).sign(key);
    s.secrets.push(hs512);
    await expectUnauthenticated(s, bearer(hs512), /algorithm/);
  });

  it('API keys keep working beside JWTs', async () => {
    await expectEnquiries(s, apiKey(reader.key));
    await expectEnquiries(s, bearer(reader.key));
  });

  it('no secret, key or token appears in any log line or response', () => {
    scanned(s);
  });
});

describe('JWTs with a PEM public key (JWT_PUBLIC_KEY)', () => {
  let s: AuthStack;
  let sign: Signer;
  let pem: string;
  let privateKey: CryptoKey;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    privateKey = pair.privateKey;
    pem = await exportSPKI(pair.publicKey);
    sign = (payload) => new SignJWT(payload).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
    s = await authStack({ mode: 'protected', apiKeys: [], jwt: { key: { kind: 'public_key', pem }, issuer: ISSUER, audience: AUDIENCE } }, []);
  });
  afterAll(() => s.stack.close());

  tokenCases(() => sign, () => s);

  it('accepts PS256 from the same RSA key', async () => {
    const pss = await importPKCS8(await exportPKCS8(privateKey), 'PS256');
    const token = await new SignJWT(claims({ scope: 'enquiries:read' })).setProtectedHeader({ alg: 'PS256' }).sign(pss);
    s.secrets.push(token);
    await expectEnquiries(s, bearer(token));
  });

  it('refuses HS256 signed with the public key as the secret (algorithm confusion)', async () => {
    const forged = await new SignJWT(claims({ scope: '*' })).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(pem));
    await expectUnauthenticated(s, bearer(forged), /algorithm/);
  });

  it('refuses a token signed by another RSA key', async () => {
    const other = await generateKeyPair('RS256');
    await expectUnauthenticated(s, bearer(await new SignJWT(claims({ scope: '*' })).setProtectedHeader({ alg: 'RS256' }).sign(other.privateKey)));
  });

  it('no token appears in any log line or response', () => {
    scanned(s);
  });
});

describe('JWTs from a JWKS URL (JWT_JWKS_URL)', () => {
  let s: AuthStack;
  let jwks: Server;
  let fetches = 0;
  let sign: Signer;
  let otherKey: CryptoKey;

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256');
    const stranger = await generateKeyPair('ES256');
    otherKey = stranger.privateKey;
    const published = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    jwks = createServer((_req, res) => {
      fetches += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [published] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;
    sign = (payload, header = { kid: 'k1' }) => new SignJWT(payload).setProtectedHeader({ alg: 'ES256', ...header }).sign(pair.privateKey);
    const key: JwtKeySource = { kind: 'jwks', url };
    s = await authStack({ mode: 'protected', apiKeys: [], jwt: { key, issuer: ISSUER, audience: AUDIENCE } }, []);
  });
  afterAll(async () => {
    await s.stack.close();
    await new Promise<void>((resolve) => jwks.close(() => resolve()));
  });

  tokenCases(() => sign, () => s);

  it('fetched the key set once for all those tokens (cached)', () => {
    expect(fetches).toBe(1);
  });

  it('refuses a token whose kid is not in the set, or that another key signed under the same kid', async () => {
    await expectUnauthenticated(s, bearer(await sign(claims({ scope: '*' }), { kid: 'nope' })), /no key/);
    const forged = await new SignJWT(claims({ scope: '*' })).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).sign(otherKey);
    await expectUnauthenticated(s, bearer(forged));
  });

  it('no token appears in any log line or response', () => {
    scanned(s);
  });
});
