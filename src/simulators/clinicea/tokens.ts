/**
 * Token login, for simulators started with `authMode: 'token'` (the calls are described in the vendor's
 * wire.ts): `GET login/getTokenByApiKey` with the key, a user name and a password answers `{ Token }`, and a
 * token is good for `tokenTtlMs` by the simulator's clock. Tokens live in memory only.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { CLINICEA_TOKEN_PARAM, type CliniceaTokenResponse } from '../../vendors/clinicea/wire.ts';
import type { SimRequest, SimResponse } from '../http.ts';
import { error, json } from './answers.ts';
import type { CliniceaCredentials, CliniceaUser } from './options.ts';

/** What tests read about logins and token use. */
export interface CliniceaTokenStats {
  /** Logins asked for, answered or not. */
  requests: number;
  /** Tokens handed out. */
  issued: number;
  /** Logins refused: a missing parameter, or a wrong key, user or password. */
  refused: number;
  /** Calls refused because their `api_key` token was expired or unknown. */
  rejected: number;
}

export interface CliniceaTokens {
  readonly stats: CliniceaTokenStats;
  /** The `GET login/getTokenByApiKey` route. */
  login(req: SimRequest): SimResponse;
  /** Whether the request names a live token in `api_key`: true, false (named one, refused), or undefined. */
  accepts(req: SimRequest): boolean | undefined;
  /** Forgets every token, as a restart or a password reset would: the next call with one gets a 401. */
  revoke(): void;
}

export function createCliniceaTokens(
  credentials: CliniceaCredentials,
  users: readonly CliniceaUser[],
  ttlMs: number,
  clock: () => number,
): CliniceaTokens {
  const stats: CliniceaTokenStats = { requests: 0, issued: 0, refused: 0, rejected: 0 };
  const live = new Map<string, number>();
  const expectedKey = digest(credentials.apiKey);

  const login = (req: SimRequest): SimResponse => {
    stats.requests += 1;
    const apiKey = req.query.get('apiKey');
    const username = req.query.get('loginUserName');
    const password = req.query.get('pwd');
    if (!apiKey || !username || password === null) {
      stats.refused += 1;
      return json(400, error('apiKey, loginUserName and pwd are required.'));
    }
    const keyMatches = timingSafeEqual(digest(apiKey), expectedKey);
    const user = users.find((candidate) => candidate.username === username);
    // Compare the password even for an unknown user, so that timing does not tell users apart.
    const passwordMatches = timingSafeEqual(digest(password), digest(user?.password ?? ''));
    if (!keyMatches || !user || !passwordMatches) {
      stats.refused += 1;
      return json(401, error('Invalid API key, user name or password.'));
    }
    const now = clock();
    for (const [token, expiresAt] of live) if (expiresAt <= now) live.delete(token);
    const token = randomBytes(24).toString('hex');
    live.set(token, now + ttlMs);
    stats.issued += 1;
    const body: CliniceaTokenResponse = { Token: token };
    return json(200, body);
  };

  const accepts = (req: SimRequest): boolean | undefined => {
    const token = req.query.get(CLINICEA_TOKEN_PARAM);
    if (token === null) return undefined;
    const expiresAt = live.get(token);
    if (expiresAt !== undefined && clock() < expiresAt) return true;
    stats.rejected += 1;
    return false;
  };

  return { stats, login, accepts, revoke: () => live.clear() };
}

/** Hashing first gives equal-length buffers, which timingSafeEqual needs, whatever the caller sent. */
export function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
