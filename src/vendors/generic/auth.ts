/**
 * OAuth2 client credentials for the Generic API (RFC 6749 4.4). The client authenticates with HTTP Basic
 * (RFC 6749 2.3.1, which the simulator and most servers prefer) and the token is shared process-wide through
 * the core's TokenCache, and by every replica when the core's token store is Redis. The token call goes
 * straight out through `send()` with the core's fetch, not through the rate queue: the token endpoint is not
 * rate limited, and a call holding a queue permit must not wait behind itself.
 */
import type { Clock } from '../../upstream/clock.ts';
import { UpstreamError, isProblem } from '../../upstream/errors.ts';
import type { OutgoingRequest } from '../../upstream/request.ts';
import { TokenCache, bearerOf, withBearer, type IssuedToken } from '../../upstream/token-cache.ts';
import type { TokenStore } from '../../upstream/token-store.ts';
import { send, type FetchLike } from '../../upstream/transport.ts';
import { classifyError } from './responses.ts';
import type { GenericTokenResponse } from './wire.ts';

export interface GenericCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface GenericTokenOptions {
  readonly tokenUrl: string;
  readonly credentials: GenericCredentials;
  /** The core's fetch, so that whatever intercepts API calls sees token calls too. */
  readonly fetch: FetchLike;
  readonly clock: Clock;
  /** Refresh this long before expiry, ms. */
  readonly refreshBeforeMs: number;
  /** One token call's timeout, ms. */
  readonly timeoutMs: number;
  /** Where the token is kept: the core's store, in memory or shared by every replica through Redis. Default: in memory, this client's own. */
  readonly store?: TokenStore;
}

/** `expires_in` is only RECOMMENDED (RFC 6749 5.1): without it, assume a short life and let a 401 correct us. */
const DEFAULT_EXPIRES_IN_SECONDS = 300;

/**
 * A refused client is remembered this long: a misconfigured gateway would otherwise ask the token endpoint
 * once per GraphQL field, and the answer will not change until someone fixes the credentials.
 */
const REFUSAL_MEMORY_MS = 10_000;

const VENDOR = 'generic';

/** How much longer than one token call's timeout a replica holds the right to make it. */
const LOCK_MARGIN_MS = 5000;

/** `application/x-www-form-urlencoded` each part before Basic-encoding, as RFC 6749 2.3.1 asks. */
export function basicAuthorization(credentials: GenericCredentials): string {
  const encode = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  const pair = `${encode(credentials.clientId)}:${encode(credentials.clientSecret)}`;
  return `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
}

function tokenRequest(tokenUrl: URL, credentials: GenericCredentials): OutgoingRequest {
  return {
    method: 'POST',
    url: tokenUrl,
    path: tokenUrl.pathname,
    params: [['grant_type', 'client_credentials']],
    headers: {
      accept: 'application/json',
      'content-type': 'application/x-www-form-urlencoded',
      authorization: basicAuthorization(credentials),
    },
    body: 'grant_type=client_credentials',
  };
}

function readToken(body: unknown, now: number): IssuedToken | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { access_token: value, expires_in: expiresIn, token_type: type } = body as Partial<GenericTokenResponse>;
  if (typeof value !== 'string' || value === '') return undefined;
  if (typeof type === 'string' && type.toLowerCase() !== 'bearer') return undefined;
  const seconds = typeof expiresIn === 'number' && expiresIn > 0 ? expiresIn : DEFAULT_EXPIRES_IN_SECONDS;
  return { value, expiresAt: now + seconds * 1000 };
}

/** The bearer token for one client: fetched on first use, refreshed before expiry and once after a 401. */
export class GenericTokens {
  private readonly cache: TokenCache;
  private readonly tokenUrl: URL;
  private refused: { readonly until: number; readonly error: UpstreamError } | undefined;
  private requests = 0;

  constructor(private readonly options: GenericTokenOptions) {
    this.tokenUrl = new URL(options.tokenUrl);
    const { credentials, store } = options;
    this.cache = new TokenCache(() => this.issue(), options.clock, {
      refreshBeforeMs: options.refreshBeforeMs,
      ...(store ? { store } : {}),
      credential: { vendor: VENDOR, issuer: this.tokenUrl.href, clientId: credentials.clientId, secret: credentials.clientSecret },
      // Held past one token call's timeout, so that a slow answer is not raced by another replica.
      lockMs: options.timeoutMs + LOCK_MARGIN_MS,
    });
  }

  /** Calls made to the token endpoint, refused ones included. */
  get tokenRequests(): number {
    return this.requests;
  }

  /** `request` with a live bearer token; concurrent callers share one token request. */
  async authorize(request: OutgoingRequest): Promise<OutgoingRequest> {
    return withBearer(request, await this.cache.get());
  }

  /**
   * The core's one refresh after the vendor refused `rejected` with a 401. Resolves false when a new token
   * cannot help: the call carried none (the token request itself failed) or the client was just refused.
   * Only the first 401 on a given token fetches a new one, so a hundred parallel 401s cost one token request.
   */
  async refreshAfterUnauthorized(rejected: OutgoingRequest | undefined): Promise<boolean> {
    const stale = bearerOf(rejected);
    if (stale === undefined) return false;
    if (this.refused && this.options.clock.now() < this.refused.until) return false;
    return this.cache.refresh(stale);
  }

  private async issue(): Promise<IssuedToken> {
    const { clock } = this.options;
    const refused = this.refused;
    // A fresh error each time: one shared instance would carry the first caller's stack to every other.
    if (refused && clock.now() < refused.until) {
      const { error } = refused;
      throw new UpstreamError(VENDOR, error.problem, error.message, error.status, true);
    }
    this.requests += 1;
    const response = await send(this.options.fetch, VENDOR, tokenRequest(this.tokenUrl, this.options.credentials), this.options.timeoutMs);
    const now = clock.now();
    if (response.status < 200 || response.status >= 300) {
      const classified = classifyError(response, now);
      const error = new UpstreamError(VENDOR, classified.problem, `token request refused: ${classified.message}`, response.status);
      if (isProblem(error, 'unauthorized')) this.refused = { until: now + REFUSAL_MEMORY_MS, error };
      throw error;
    }
    const token = readToken(response.body, now);
    if (!token) {
      throw new UpstreamError(VENDOR, { kind: 'server_error' }, 'the token endpoint answered without a usable bearer token', response.status);
    }
    this.refused = undefined;
    return token;
  }
}
