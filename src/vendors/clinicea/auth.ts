/**
 * Clinicea authentication. The documented version takes the API key in the `api` header of every call
 * (vendors.md, "Clinicea"), and that is the default. Some API versions instead trade the key, a user name and
 * a password for a token that lives about an hour (observed); `CliniceaTokenAuth` does that login (see wire.ts
 * for the exact calls) and sends the token as the `api_key` query parameter.
 *
 * The login goes straight out through `send()` with the core's fetch, like Caseware's token call: waiting in
 * the rate queue behind the calls that need the token would only delay them. After a 401 the core hands
 * `refreshCredentials` the refused request; the token in its `api_key` parameter tells "replace it" from
 * "someone already did", so a hundred parallel 401s on one stale token cost one login.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../../upstream/clock.ts';
import { UpstreamError, problemForStatus } from '../../upstream/errors.ts';
import { buildOutgoing, type OutgoingRequest, type UpstreamResponse } from '../../upstream/request.ts';
import { TokenCache, type IssuedToken } from '../../upstream/token-cache.ts';
import type { TokenStore } from '../../upstream/token-store.ts';
import { send, type FetchLike } from '../../upstream/transport.ts';
import { classifyError } from './responses.ts';
import {
  CLINICEA_API_KEY_HEADER,
  CLINICEA_TOKEN_PARAM,
  CLINICEA_TOKEN_PATH,
  CLINICEA_TOKEN_TTL_MS,
  type CliniceaTokenQuery,
  type CliniceaTokenResponse,
} from './wire.ts';

export interface CliniceaCredentials {
  readonly apiKey: string;
}

/** How calls are authorized: the key in the `api` header (default), or a token from a login. */
export type CliniceaAuth =
  | { readonly kind: 'header' }
  | {
      readonly kind: 'token';
      /** The Clinicea user the token is issued to (`loginUserName`). */
      readonly username: string;
      /** That user's password (`pwd`); never logged, never in an error. */
      readonly password: string;
    };

/** Ask for a new token this long before the current one expires: 5 minutes. */
export const CLINICEA_TOKEN_REFRESH_BEFORE_MS = 5 * 60 * 1000;
/** The login's own timeout, ms: it runs outside the core's per-call timeout. */
const LOGIN_TIMEOUT_MS = 10_000;
const VENDOR = 'clinicea';

export function withApiKey(request: OutgoingRequest, credentials: CliniceaCredentials): OutgoingRequest {
  return {
    ...request,
    headers: { ...request.headers, accept: 'application/json', [CLINICEA_API_KEY_HEADER]: credentials.apiKey },
  };
}

/** `request` carrying `token` in its `api_key` query parameter, and no `api` header. */
export function withToken(request: OutgoingRequest, token: string): OutgoingRequest {
  const url = new URL(request.url);
  url.searchParams.set(CLINICEA_TOKEN_PARAM, token);
  return { ...request, url, headers: { ...request.headers, accept: 'application/json' } };
}

/** The token a (refused) request carried, if any: what `TokenCache.refresh` needs after a 401. */
export function tokenOf(request: OutgoingRequest | undefined): string | undefined {
  return request?.url.searchParams.get(CLINICEA_TOKEN_PARAM) ?? undefined;
}

/** Names the key's rate budget without putting the key itself in logs, metrics or Redis keys. */
export function keyId(credentials: CliniceaCredentials): string {
  return createHash('sha256').update(credentials.apiKey).digest('hex').slice(0, 12);
}

export interface CliniceaTokenSettings {
  readonly baseUrl: string;
  readonly credentials: CliniceaCredentials;
  readonly username: string;
  readonly password: string;
}

/** Tokens remembered for redaction: the newest few, as a token lives an hour and only recent ones are in use. */
const REMEMBERED_TOKENS = 16;

/**
 * Token login, one token per credential, refreshed 5 minutes before its hour is up: per process, or for every
 * replica when the core's token store is Redis.
 */
export class CliniceaTokenAuth {
  private readonly tokens: TokenCache;
  private requested = 0;
  /** Tokens this process used, its own or another replica's, so that none of them leaks into an error message. */
  private readonly issued = new Set<string>();

  constructor(
    private readonly settings: CliniceaTokenSettings,
    private readonly clock: Clock,
    /** The core's fetch, so that whatever intercepts API calls sees the login too. */
    private readonly fetch: FetchLike,
    /** Where the token is kept: the core's store, in memory or shared through Redis. Default: in memory, this auth's own. */
    store?: TokenStore,
  ) {
    const { baseUrl, credentials, username, password } = settings;
    this.tokens = new TokenCache(() => this.issue(), clock, {
      refreshBeforeMs: CLINICEA_TOKEN_REFRESH_BEFORE_MS,
      ...(store ? { store } : {}),
      // The key and password together key the token's encryption: the key alone may be shared by many users.
      credential: { vendor: VENDOR, issuer: baseUrl, clientId: `${username}\0${credentials.apiKey}`, secret: `${credentials.apiKey}\0${password}` },
      // Held past the login's timeout, so that a slow answer is not raced by another replica.
      lockMs: LOGIN_TIMEOUT_MS + 5000,
    });
  }

  /** Logins made so far, answered or not. */
  get tokenRequests(): number {
    return this.requested;
  }

  async authorize(request: OutgoingRequest): Promise<OutgoingRequest> {
    const token = await this.tokens.get();
    this.remember(token);
    return withToken(request, token);
  }

  /**
   * After a 401. False when the refused request carried no token (the login itself was refused: logging in
   * again cannot help); otherwise replaces the refused token unless another caller already has.
   */
  async refreshCredentials(refused: OutgoingRequest | undefined): Promise<boolean> {
    const stale = tokenOf(refused);
    return stale === undefined ? false : this.tokens.refresh(stale);
  }

  private remember(token: string): void {
    if (this.issued.has(token)) return;
    this.issued.add(token);
    for (const oldest of this.issued) {
      if (this.issued.size <= REMEMBERED_TOKENS) break;
      this.issued.delete(oldest);
    }
  }

  /** Removes every secret this auth knows of from a message that may have echoed one back. */
  redact(message: string): string {
    const secrets = [this.settings.password, this.settings.credentials.apiKey, ...this.issued];
    return secrets.reduce((text, secret) => (secret === '' ? text : text.split(secret).join('[redacted]')), message);
  }

  private async issue(): Promise<IssuedToken> {
    this.requested += 1;
    // The token's life starts no later than the request leaves; counting from here errs on the safe side.
    const issuedAt = this.clock.now();
    const query: CliniceaTokenQuery = {
      apiKey: this.settings.credentials.apiKey,
      loginUserName: this.settings.username,
      pwd: this.settings.password,
    };
    const outgoing = buildOutgoing(this.settings.baseUrl, { method: 'GET', path: CLINICEA_TOKEN_PATH, query: { ...query } });
    const response = await send(this.fetch, VENDOR, outgoing, LOGIN_TIMEOUT_MS);
    const token = tokenIn(response.body);
    if (response.status >= 200 && response.status < 300 && token !== undefined) {
      this.remember(token);
      return { value: token, expiresAt: issuedAt + CLINICEA_TOKEN_TTL_MS };
    }
    throw this.loginError(response);
  }

  /**
   * A failed login as an upstream error, with the vendor's message but never the key, password or a token.
   * Its shape is fixed, so any 4xx but 429 means the key, user or password was not accepted. A 429 is final:
   * the core would retry it at once, and each retry is one more login; a 5xx may pass, so it is retried.
   */
  private loginError(response: UpstreamResponse): UpstreamError {
    const { status } = response;
    if (status >= 200 && status < 300) {
      return new UpstreamError(VENDOR, { kind: 'server_error' }, `Clinicea's ${CLINICEA_TOKEN_PATH} answer held no token`, status);
    }
    const classified = classifyError(response, this.clock.now());
    const detail = `${CLINICEA_TOKEN_PATH} answered ${status}: ${this.redact(classified.message)}`;
    if (status === 429) {
      return new UpstreamError(VENDOR, classified.problem, `Clinicea throttled the token login (${detail})`, status, true);
    }
    if (status >= 400 && status < 500) {
      return new UpstreamError(VENDOR, { kind: 'unauthorized' }, `Clinicea refused the token login (${detail})`, status, true);
    }
    return new UpstreamError(VENDOR, problemForStatus(status), `Clinicea could not issue a token (${detail})`, status);
  }
}

/** `{ "Token": "..." }` as documented in wire.ts; a bare JSON string is read too, as some versions may send. */
function tokenIn(body: unknown): string | undefined {
  const token = typeof body === 'string' ? body : (body as Partial<CliniceaTokenResponse> | undefined)?.Token;
  return typeof token === 'string' && token !== '' ? token : undefined;
}
