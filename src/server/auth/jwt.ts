/**
 * JWTs, verified with jose against one key source: a JWKS URL, a PEM public key, or an HS256 secret.
 *
 * The algorithms accepted follow from the key, never from the token: a public key admits only the
 * asymmetric algorithms its type can verify (so a token signed with HS256 over the public key's bytes is
 * refused), a secret admits only HS256, and `none` is never accepted. Issuer, audience, expiry and
 * not-before are checked; a token must carry `sub` (the caller's identity) and `exp` (a token that never
 * expires is refused).
 */
import { createPublicKey } from 'node:crypto';
import { createRemoteJWKSet, importSPKI, jwtVerify, type JWTPayload, type JWTVerifyGetKey, type JWTVerifyOptions } from 'jose';
import type { Logger } from 'pino';
import type { JwtConfig } from '../../config.ts';
import { isScope, principal, type Principal, type Scope } from '../../domain/access.ts';
import { AuthenticationError } from './authentication-error.ts';

export interface JwtVerifierOptions {
  /** How long one JWKS fetch may take, ms. Default 5000. */
  readonly jwksTimeoutMs?: number;
  /** After a fetch, how long a token with an unknown `kid` waits before it may trigger another, ms. Default 30000. */
  readonly jwksCooldownMs?: number;
  /** How long fetched keys are used before the set is fetched again, ms. Default 600000 (10 minutes). */
  readonly jwksCacheMaxAgeMs?: number;
  /** Leeway for `exp` and `nbf` against clocks that disagree a little, seconds. Default 30. */
  readonly clockToleranceS?: number;
  /** The clock the claims are checked against. Default: the system clock. */
  readonly now?: () => number;
  /** Where an unreachable key set is reported (the token never is). Default: not reported. */
  readonly logger?: Logger;
}

/** Resolves to the token's principal, or rejects with AuthenticationError. */
export type JwtVerifier = (token: string) => Promise<Principal>;

type Settings = JwtVerifierOptions & Required<Pick<JwtVerifierOptions, 'jwksTimeoutMs' | 'jwksCooldownMs' | 'jwksCacheMaxAgeMs' | 'clockToleranceS'>>;

const DEFAULTS: Settings = Object.freeze({ jwksTimeoutMs: 5_000, jwksCooldownMs: 30_000, jwksCacheMaxAgeMs: 600_000, clockToleranceS: 30 });

/** Every asymmetric algorithm a JWKS may use; each key in the set still verifies only its own kind. */
const ASYMMETRIC = ['RS256', 'PS256', 'ES256', 'EdDSA', 'Ed25519'] as const;

/** A subject longer than this is refused: it becomes the client's identity in logs, limits and queues. */
const MAX_SUBJECT_LENGTH = 256;

export function createJwtVerifier(config: JwtConfig, options: JwtVerifierOptions = {}): JwtVerifier {
  const settings: Settings = { ...DEFAULTS, ...options };
  const { key, algorithms } = keyFor(config, settings);
  const verifyOptions = (): JWTVerifyOptions => ({
    issuer: config.issuer,
    audience: config.audience,
    algorithms: [...algorithms],
    clockTolerance: settings.clockToleranceS,
    requiredClaims: ['sub', 'exp'],
    ...(settings.now ? { currentDate: new Date(settings.now()) } : {}),
  });
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, key, verifyOptions()));
    } catch (error) {
      throw refusal(error, settings.logger);
    }
    const subject = payload.sub ?? '';
    if (subject === '' || subject.length > MAX_SUBJECT_LENGTH) {
      throw new AuthenticationError(`the token's subject must have 1 to ${MAX_SUBJECT_LENGTH} characters`);
    }
    return principal(`jwt:${subject}`, 'jwt', scopesOf(payload));
  };
}

/** Scopes from `scope` (space separated, RFC 8693) and `scp` (an array, or a string as some issuers send). */
export function scopesOf(payload: JWTPayload): Scope[] {
  const words = (value: unknown): string[] =>
    typeof value === 'string' ? value.split(' ') : Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
  // Scopes this gateway does not know belong to other services sharing the issuer: ignored, not refused.
  return [...new Set([...words(payload.scope), ...words(payload.scp)])].filter(isScope);
}

function keyFor(config: JwtConfig, settings: Settings): { key: JWTVerifyGetKey | Uint8Array; algorithms: readonly string[] } {
  const source = config.key;
  switch (source.kind) {
    case 'jwks':
      return {
        key: createRemoteJWKSet(new URL(source.url), {
          timeoutDuration: settings.jwksTimeoutMs,
          cooldownDuration: settings.jwksCooldownMs,
          cacheMaxAge: settings.jwksCacheMaxAgeMs,
        }),
        algorithms: ASYMMETRIC,
      };
    case 'public_key': {
      const algorithms = algorithmsForPem(source.pem);
      // One imported key per algorithm: an RSA key imported for RS256 cannot verify PS256, and the token's
      // header picks which one (only among those the key allows).
      const keys = new Map(algorithms.map((alg) => [alg, importSPKI(source.pem, alg)]));
      // Imports that fail surface on the first token; keep them from being unhandled meanwhile.
      for (const pending of keys.values()) pending.catch(() => undefined);
      const key: JWTVerifyGetKey = (header) => {
        const found = keys.get(header.alg ?? '');
        if (!found) throw new AuthenticationError('the token is signed with an algorithm this key does not allow');
        return found;
      };
      return { key, algorithms };
    }
    case 'secret':
      return { key: new TextEncoder().encode(source.secret), algorithms: ['HS256'] };
  }
}

/** The algorithms a PEM public key can verify; any other key type is refused when the verifier is built. */
export function algorithmsForPem(pem: string): readonly string[] {
  const key = createPublicKey(pem);
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return ['RS256', 'PS256'];
    case 'rsa-pss':
      return ['PS256'];
    case 'ec':
      if (key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return ['ES256'];
      break;
    case 'ed25519':
      // jose names the same algorithm both ways: RFC 8037's EdDSA and RFC 9864's Ed25519.
      return ['EdDSA', 'Ed25519'];
  }
  const curve = key.asymmetricKeyDetails?.namedCurve;
  throw new Error(
    `expected JWT_PUBLIC_KEY to be an RSA, EC P-256 or Ed25519 public key, got ${key.asymmetricKeyType ?? 'an unknown kind'}${curve ? ` (${curve})` : ''}`,
  );
}

/** Why a token was refused, in words a client can act on; never the token. */
function refusal(error: unknown, logger: Logger | undefined): AuthenticationError {
  if (error instanceof AuthenticationError) return error;
  const { code, claim } = error as { code?: unknown; claim?: unknown };
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return new AuthenticationError('the token has expired');
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (claim === 'nbf') return new AuthenticationError('the token is not valid yet');
      if (claim === 'iss') return new AuthenticationError("the token's issuer is not accepted");
      if (claim === 'aud') return new AuthenticationError("the token's audience is not accepted");
      if (claim === 'sub' || claim === 'exp') return new AuthenticationError(`the token has no ${claim === 'sub' ? 'subject (sub)' : 'expiry (exp)'}`);
      return new AuthenticationError('the token\'s claims are not valid');
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return new AuthenticationError("the token's algorithm is not accepted");
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return new AuthenticationError('no key in the key set matches the token');
    case 'ERR_JWKS_TIMEOUT':
    case 'ERR_JWKS_INVALID':
    case 'ERR_JOSE_GENERIC':
    case undefined:
      // The key set could not be read (timeout, network, not JSON): our side, not the token's. Reported,
      // and the token is refused, since nothing could vouch for it.
      logger?.warn({ reason: error instanceof Error ? error.message : String(error) }, 'JWT key set unavailable');
      return new AuthenticationError('the token could not be verified: the key set is unavailable');
    default:
      return new AuthenticationError('the bearer token is not valid');
  }
}
