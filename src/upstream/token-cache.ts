/**
 * Bearer tokens for OAuth2-style vendors (Caseware, the Generic API). One token per process and credential,
 * refreshed shortly before it expires; concurrent callers at expiry share one token request (single
 * flight). After a 401 the adapter calls `refresh(staleToken)`: only the first caller holding that stale
 * token fetches a new one, so a hundred parallel 401s still cost one token request.
 */
import type { Clock } from './clock.ts';
import type { OutgoingRequest } from './request.ts';

const BEARER = 'Bearer ';

/** `request` carrying `token` as its bearer credential. */
export function withBearer(request: OutgoingRequest, token: string): OutgoingRequest {
  return { ...request, headers: { ...request.headers, authorization: `${BEARER}${token}` } };
}

/** The bearer token a (refused) request carried, if any: what `TokenCache.refresh` needs after a 401. */
export function bearerOf(request: OutgoingRequest | undefined): string | undefined {
  const header = request?.headers.authorization;
  return header !== undefined && header.startsWith(BEARER) ? header.slice(BEARER.length) : undefined;
}

export interface IssuedToken {
  readonly value: string;
  /** Epoch ms. */
  readonly expiresAt: number;
}

export interface TokenCacheOptions {
  /** Refresh this long before expiry, ms. Default 60000. */
  readonly refreshBeforeMs?: number;
}

export class TokenCache {
  private current: IssuedToken | undefined;
  private pending: Promise<IssuedToken> | undefined;
  private readonly refreshBeforeMs: number;

  constructor(
    private readonly issue: () => Promise<IssuedToken>,
    private readonly clock: Clock,
    options: TokenCacheOptions = {},
  ) {
    this.refreshBeforeMs = options.refreshBeforeMs ?? 60_000;
  }

  /** A token valid for at least `refreshBeforeMs` more, fetching one if needed. */
  async get(): Promise<string> {
    const token = this.current;
    if (token && token.expiresAt - this.refreshBeforeMs > this.clock.now()) return token.value;
    return (await this.fetch()).value;
  }

  /**
   * After a 401 with `stale`: fetch a new token unless someone already replaced it. Resolves true when the
   * caller should try once more with the (new) current token.
   */
  async refresh(stale: string | undefined): Promise<boolean> {
    if (this.current && this.current.value !== stale) return true;
    this.current = undefined;
    await this.fetch();
    return true;
  }

  /** Forget the token (e.g. credentials rotated). */
  clear(): void {
    this.current = undefined;
  }

  private fetch(): Promise<IssuedToken> {
    this.pending ??= this.issue()
      .then((token) => {
        this.current = token;
        return token;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }
}
