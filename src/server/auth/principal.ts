/**
 * Who is calling: one Principal per HTTP request, made before any GraphQL work or vendor call. Open local
 * mode answers every request with the anonymous local principal; protected mode checks API keys (and JWTs).
 *
 * Credentials come as `x-api-key: <key>` or `Authorization: Bearer <key or JWT>`; the `vgk_` prefix tells a
 * key from a JWT. Federated routers forward the client's Authorization header, so behind a router nothing
 * more is needed.
 */
import type { IncomingMessage } from 'node:http';
import type { AuthConfig } from '../../config.ts';
import { ANONYMOUS_LOCAL, principal, type Principal } from '../../domain/access.ts';
import { API_KEY_PREFIX, ApiKeyRing } from './api-keys.ts';

/** No credentials, or bad ones: HTTP 401 with `extensions.code: UNAUTHENTICATED`, and no vendor is called. */
export class AuthenticationError extends Error {
  override readonly name = 'AuthenticationError';
}

export type Authenticate = (req: IncomingMessage) => Promise<Principal>;

/** The credential a request carries, if any: from x-api-key, or the Bearer token. */
export function presentedCredential(req: IncomingMessage): string | undefined {
  const header = req.headers['x-api-key'];
  const key = Array.isArray(header) ? header[0] : header;
  if (key !== undefined && key.trim() !== '') return key.trim();
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

export function createAuthenticator(auth: AuthConfig): Authenticate {
  if (auth.mode === 'open') return () => Promise.resolve(ANONYMOUS_LOCAL);
  const keys = new ApiKeyRing(auth.apiKeys);
  return (req) => {
    const credential = presentedCredential(req);
    if (credential === undefined) {
      return Promise.reject(new AuthenticationError('credentials are required: send x-api-key: <key> or Authorization: Bearer <key or JWT>'));
    }
    if (credential.startsWith(API_KEY_PREFIX)) {
      const record = keys.match(credential);
      if (!record) return Promise.reject(new AuthenticationError('the API key is not valid'));
      return Promise.resolve(principal(`key:${record.name}`, 'api_key', record.scopes));
    }
    // TODO(auth): JWTs.
    return Promise.reject(new AuthenticationError('the bearer token is not valid'));
  };
}
