/**
 * Who is calling: one Principal per HTTP request, made before any GraphQL work or vendor call. Open local
 * mode answers every request with the anonymous local principal; protected mode checks API keys and JWTs.
 */
import type { IncomingMessage } from 'node:http';
import type { AuthConfig } from '../../config.ts';
import { ANONYMOUS_LOCAL, type Principal } from '../../domain/access.ts';

/** No credentials, or bad ones: HTTP 401 with `extensions.code: UNAUTHENTICATED`, and no vendor is called. */
export class AuthenticationError extends Error {
  override readonly name = 'AuthenticationError';
}

export type Authenticate = (req: IncomingMessage) => Promise<Principal>;

export function createAuthenticator(auth: AuthConfig): Authenticate {
  if (auth.mode === 'open') return () => Promise.resolve(ANONYMOUS_LOCAL);
  // TODO(auth): API keys and JWTs.
  return () => Promise.reject(new AuthenticationError('credentials are required: send x-api-key or Authorization: Bearer'));
}
