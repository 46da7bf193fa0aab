/**
 * No credentials, or bad ones: HTTP 401 with `extensions.code: UNAUTHENTICATED`, and no vendor is called.
 * Its own file so that the verifiers (jwt.ts) and the authenticator (principal.ts) share it without a cycle.
 */
export class AuthenticationError extends Error {
  override readonly name = 'AuthenticationError';

  /**
   * `missing`: nothing was presented, so the answer only names the scheme (RFC 6750 3); `invalid`: what was
   * presented was refused (`error="invalid_token"`).
   */
  constructor(
    message: string,
    readonly problem: 'missing' | 'invalid' = 'invalid',
  ) {
    super(message);
  }
}
