/**
 * The JWT verifier on its own: which algorithms each kind of PEM key admits, the principal a token becomes,
 * where scopes come from, and what an unreachable key set does. The HTTP side is in auth.test.ts.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportSPKI, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import type { JwtConfig } from '../../src/config.ts';
import { AuthenticationError } from '../../src/server/auth/authentication-error.ts';
import { algorithmsForPem, createJwtVerifier, scopesOf } from '../../src/server/auth/jwt.ts';
import { capturingLogger } from '../helpers/secrets.ts';

const ISSUER = 'https://issuer.test';
const AUDIENCE = 'vendor-graph';

function claims(overrides: JWTPayload = {}): JWTPayload {
  const now = Math.floor(Date.now() / 1000);
  return { iss: ISSUER, aud: AUDIENCE, sub: 'svc-reports', exp: now + 300, ...overrides };
}

const config = (key: JwtConfig['key']): JwtConfig => ({ key, issuer: ISSUER, audience: AUDIENCE });

describe('PEM public keys', () => {
  it.each([
    ['RSA', 'RS256', ['RS256', 'PS256']],
    ['EC P-256', 'ES256', ['ES256']],
    ['Ed25519', 'EdDSA', ['EdDSA', 'Ed25519']],
  ] as const)('a %s key admits %s and only %j', async (_kind, alg, admitted) => {
    const pair = await generateKeyPair(alg);
    const pem = await exportSPKI(pair.publicKey);
    expect(algorithmsForPem(pem)).toEqual(admitted);
    const verify = createJwtVerifier(config({ kind: 'public_key', pem }));
    const token = await new SignJWT(claims({ scope: 'leads:read' })).setProtectedHeader({ alg }).sign(pair.privateKey);
    const caller = await verify(token);
    expect(caller.id).toBe('jwt:svc-reports');
    expect(caller.kind).toBe('jwt');
    expect(caller.can('leads:read')).toBe(true);
    expect(caller.can('enquiries:read')).toBe(false);
    // The public key's own bytes as an HMAC secret: the classic algorithm-confusion forgery.
    const forged = await new SignJWT(claims({ scope: '*' })).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(pem));
    await expect(verify(forged)).rejects.toThrow(AuthenticationError);
  });

  it('refuses a key of any other kind when the verifier is built, naming what it got', async () => {
    const pair = await generateKeyPair('ES384');
    const pem = await exportSPKI(pair.publicKey);
    expect(() => createJwtVerifier(config({ kind: 'public_key', pem }))).toThrow(/expected JWT_PUBLIC_KEY to be an RSA, EC P-256 or Ed25519 public key, got ec \(secp384r1\)/);
  });
});

describe('claims', () => {
  const secret = 'x'.repeat(32);
  const sign = (payload: JWTPayload) => new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(secret));
  const verify = createJwtVerifier(config({ kind: 'secret', secret }));

  it.each([
    ['scope, space separated', { scope: 'enquiries:read  users:read' }, ['enquiries:read', 'users:read']],
    ['scp as an array', { scp: ['files:read', 42, 'files:write'] }, ['files:read', 'files:write']],
    ['scp as a string', { scp: 'status:read' }, ['status:read']],
    ['both, merged', { scope: 'leads:read', scp: ['leads:read', 'clients:read'] }, ['leads:read', 'clients:read']],
    ['unknown scopes only', { scope: 'openid profile admin' }, []],
    ['no scope at all', {}, []],
    ['*', { scope: '*' }, ['*']],
  ])('scopes from %s', (_case, payload, expected) => {
    expect(scopesOf(payload)).toEqual(expected);
  });

  it('the principal is jwt:<sub>, with the scopes the token grants and no others', async () => {
    const caller = await verify(await sign(claims({ sub: 'user|42', scp: ['users:read', 'nonsense'] })));
    expect(caller.id).toBe('jwt:user|42');
    expect([...caller.scopes]).toEqual(['users:read']);
  });

  it.each([
    ['an empty subject', { sub: '' }],
    ['a subject of 257 characters', { sub: 's'.repeat(257) }],
  ])('refuses %s', async (_case, overrides) => {
    await expect(verify(await sign(claims(overrides)))).rejects.toThrow(/subject/);
  });

  it('checks expiry against the clock it is given, with 30 s of tolerance', async () => {
    const exp = 1_800_000_000;
    const at = (seconds: number) => createJwtVerifier(config({ kind: 'secret', secret }), { now: () => seconds * 1000 });
    const token = await sign(claims({ exp }));
    await expect(at(exp + 29)(token)).resolves.toMatchObject({ id: 'jwt:svc-reports' });
    await expect(at(exp + 31)(token)).rejects.toThrow('the token has expired');
  });
});

describe('an unreachable key set', () => {
  let server: Server | undefined;
  afterEach(async () => {
    const open = server;
    server = undefined;
    if (open) await new Promise<void>((resolve) => open.close(() => resolve()));
  });

  it('refuses the token within the fetch timeout and logs a warning without the token', async () => {
    server = createServer(() => {
      // Never answers: only the verifier's timeout ends the wait.
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
    const log = capturingLogger();
    const verify = createJwtVerifier(config({ kind: 'jwks', url }), { jwksTimeoutMs: 200, logger: log.logger });
    const pair = await generateKeyPair('ES256');
    const token = await new SignJWT(claims()).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).sign(pair.privateKey);
    const started = Date.now();
    await expect(verify(token)).rejects.toThrow('the token could not be verified: the key set is unavailable');
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(log.lines.some((line) => line.includes('JWT key set unavailable'))).toBe(true);
    expect(log.lines.some((line) => line.includes(token))).toBe(false);
    server.closeAllConnections();
  });
});
