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
import { AuthenticationError } from './authentication-error.ts';
import type { JwtVerifierOptions } from './jwt.ts';

export { AuthenticationError } from './authentication-error.ts';

/** The credential a request carries, if any: from x-api-key, or the Bearer token. */
export function presentedCredential(req: Pick<IncomingMessage, 'headers'>): string | undefined {
  const header = req.headers['x-api-key'];
  const key = Array.isArray(header) ? header[0] : header;
  if (key !== undefined && key.trim() !== '') return key.trim();
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

/**
 * Checks a credential however it came: from HTTP headers (`presentedCredential`), or from a websocket's
 * `connection_init` payload, which a browser must use since it cannot set headers on a websocket. `jwt`: how
 * tokens are verified when JWT_* is configured (timeouts, clock, logger); see jwt.ts for defaults.
 */
export async function createCredentialCheck(
  auth: AuthConfig,
  options: { readonly jwt?: JwtVerifierOptions } = {},
): Promise<(credential: string | undefined) => Promise<Principal>> {
  if (auth.mode === 'open') return () => Promise.resolve(ANONYMOUS_LOCAL);
  const keys = new ApiKeyRing(auth.apiKeys);
  // One principal per key entry, made on its first use: a key's identity and scopes are fixed for the life of
  // the process, and what is learned per principal (scopes.ts) then lasts across its requests.
  const keyPrincipals = new WeakMap<object, Principal>();
  // jose is loaded only when JWT_* is configured: a gateway that takes API keys alone never needs it. The
  // verifier is still made here, so a key that cannot be used stops the start-up, not the first request.
  const verifyJwt = auth.jwt ? (await import('./jwt.ts')).createJwtVerifier(auth.jwt, options.jwt) : undefined;
  return (credential) => {
    if (credential === undefined) {
      return Promise.reject(
        new AuthenticationError('credentials are required: send x-api-key: <key> or Authorization: Bearer <key or JWT>', 'missing'),
      );
    }
    if (credential.startsWith(API_KEY_PREFIX)) {
      const record = keys.match(credential);
      if (!record) return Promise.reject(new AuthenticationError('the API key is not valid'));
      let known = keyPrincipals.get(record);
      if (!known) {
        known = principal(`key:${record.name}`, 'api_key', record.scopes);
        keyPrincipals.set(record, known);
      }
      return Promise.resolve(known);
    }
    if (verifyJwt) return verifyJwt(credential);
    return Promise.reject(new AuthenticationError('the bearer token is not valid: this gateway accepts API keys (vgk_...) only'));
  };
}
