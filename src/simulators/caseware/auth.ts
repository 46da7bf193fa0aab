/**
 * Sessions: `POST auth/token` trades the API client's id and secret for a bearer token that lives
 * `tokenTtlMs` by the clock; the guard looks tokens up here.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { CasewareTokenResponse } from '../../vendors/caseware/wire.ts';
import type { SimRequest, SimResponse } from '../http.ts';
import { error } from './answers.ts';
import type { CasewareCredentials, CasewareSettings } from './options.ts';

export interface CasewareStats {
  /** Calls to `POST auth/token`, answered or not: how tests check the gateway reuses its token. */
  tokenRequests: number;
  /** Tokens actually handed out. */
  tokensIssued: number;
}

export interface Session {
  readonly clientId: string;
  readonly expiresAt: number;
}

export interface CasewareAuth {
  readonly issueToken: (req: SimRequest) => SimResponse;
  /** The live session behind a bearer token, or why there is none. */
  readonly authenticate: (headers: IncomingHttpHeaders) => Session | string;
  /** Ends every session, as resetting the client secret in Caseware does (docs). */
  readonly endSessions: () => void;
}

/** `credentials` is read on every token request, so a reset secret applies at once. */
export function createCasewareAuth(
  settings: CasewareSettings,
  credentials: Readonly<CasewareCredentials>,
  stats: CasewareStats,
): CasewareAuth {
  const { clock } = settings;
  const sessions = new Map<string, Session>();

  function issueToken(req: SimRequest): SimResponse {
    let body: unknown;
    try {
      body = JSON.parse(req.rawBody.toString('utf8'));
    } catch {
      return error(400, 'Expected a JSON body {"ClientId","ClientSecret","Language"}');
    }
    const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    const { ClientId: clientId, ClientSecret: clientSecret, Language: language } = fields;
    if (typeof clientId !== 'string' || typeof clientSecret !== 'string') {
      return error(400, 'ClientId and ClientSecret are required strings');
    }
    if (language !== undefined && typeof language !== 'string') return error(400, 'Language must be a string');
    // One message for a wrong id and a wrong secret, and neither is echoed back.
    if (clientId !== credentials.clientId || clientSecret !== credentials.clientSecret) {
      return error(401, 'Invalid client credentials');
    }
    const token = randomBytes(32).toString('base64url');
    sessions.set(token, { clientId, expiresAt: clock() + settings.tokenTtlMs });
    stats.tokensIssued += 1;
    const answer: CasewareTokenResponse = { Token: token };
    return { status: 200, body: answer };
  }

  function authenticate(headers: IncomingHttpHeaders): Session | string {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
    if (!match?.[1]) return 'Missing bearer token';
    const session = sessions.get(match[1]);
    if (!session) return 'Invalid or expired token';
    if (clock() >= session.expiresAt) {
      sessions.delete(match[1]);
      return 'Invalid or expired token';
    }
    return session;
  }

  return { issueToken, authenticate, endSessions: () => sessions.clear() };
}
