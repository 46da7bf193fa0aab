/**
 * Caseware bearer tokens (vendors.md, "Auth"): `POST auth/token` with the client id and secret answers
 * `{"Token"}`, which lives 30 minutes and is sent as `Authorization: Bearer`. The token call goes straight out
 * through `send()` with the core's fetch: the endpoint is not rate limited, and waiting in the queue behind
 * the calls that need the token would only delay them.
 *
 * After a 401 the core hands `refreshCredentials` the refused request; the bearer it carried tells "replace
 * it" from "someone already did", so a hundred parallel 401s on one stale token cost one token request.
 */
import type { Clock } from '../../upstream/clock.ts';
import { UpstreamError, problemForStatus } from '../../upstream/errors.ts';
import { buildOutgoing, type OutgoingRequest, type UpstreamResponse } from '../../upstream/request.ts';
import { TokenCache, bearerOf, withBearer, type IssuedToken } from '../../upstream/token-cache.ts';
import type { TokenStore } from '../../upstream/token-store.ts';
import { send, type FetchLike } from '../../upstream/transport.ts';
import type { CasewareSettings } from './options.ts';
import { VENDOR, firstErrorMessage } from './responses.ts';
import { CASEWARE_TOKEN_TTL_MS, type CasewareTokenRequest, type CasewareTokenResponse } from './wire.ts';

/** How much longer than one token call's timeout a replica holds the right to make it. */
const LOCK_MARGIN_MS = 5000;

export class CasewareAuth {
  private readonly tokens: TokenCache;
  private requested = 0;

  constructor(
    private readonly settings: CasewareSettings,
    private readonly clock: Clock,
    /** The core's fetch, so that whatever intercepts API calls sees token calls too. */
    private readonly fetch: FetchLike,
    /** The core's token store: in memory, or shared by every replica through Redis. */
    store: TokenStore,
  ) {
    this.tokens = new TokenCache(() => this.issue(), clock, {
      refreshBeforeMs: settings.tokenRefreshBeforeMs,
      store,
      credential: { vendor: VENDOR, issuer: settings.baseUrl, clientId: settings.credentials.clientId, secret: settings.credentials.clientSecret },
      // Held past one token call's timeout, so that a slow answer is not raced by another replica.
      lockMs: settings.tokenTimeoutMs + LOCK_MARGIN_MS,
    });
  }

  /** Token requests made so far, answered or not. */
  get tokenRequests(): number {
    return this.requested;
  }

  async authorize(request: OutgoingRequest): Promise<OutgoingRequest> {
    return withBearer(request, await this.tokens.get());
  }

  /**
   * After a 401. False when no request carried a token (the token request itself was refused: asking again
   * cannot help); otherwise replaces the refused token unless another caller already has, and throws the
   * token endpoint's error when that fails (a reset secret ends every session, docs).
   */
  async refreshCredentials(refused: OutgoingRequest | undefined): Promise<boolean> {
    const stale = bearerOf(refused);
    return stale === undefined ? false : this.tokens.refresh(stale);
  }

  private async issue(): Promise<IssuedToken> {
    this.requested += 1;
    const { baseUrl, credentials, language, tokenTimeoutMs } = this.settings;
    // The token's life starts no later than the request leaves; counting from here errs on the safe side.
    const issuedAt = this.clock.now();
    const body: CasewareTokenRequest = {
      ClientId: credentials.clientId,
      ClientSecret: credentials.clientSecret,
      Language: language,
    };
    const outgoing = buildOutgoing(baseUrl, { method: 'POST', path: 'auth/token', json: body });
    const response = await send(this.fetch, VENDOR, outgoing, tokenTimeoutMs);
    const token = (response.body as Partial<CasewareTokenResponse> | undefined)?.Token;
    if (response.status >= 200 && response.status < 300 && typeof token === 'string' && token !== '') {
      return { value: token, expiresAt: issuedAt + CASEWARE_TOKEN_TTL_MS };
    }
    throw tokenError(response, credentials.clientSecret);
  }
}

/**
 * A failed `auth/token` as an upstream error. The request's shape is fixed, so any 4xx but 429 means the
 * credentials were not accepted. A 429 is marked final: the endpoint is documented as unthrottled, and the
 * core retries 429s without backoff, which here would hammer it.
 */
export function tokenError(response: UpstreamResponse, secret: string): UpstreamError {
  const said = redact(firstErrorMessage(response.body), secret);
  const detail = `auth/token answered ${response.status}${said ? `: ${said}` : ''}`;
  const { status } = response;
  if (status >= 200 && status < 300) {
    return new UpstreamError(VENDOR, { kind: 'server_error' }, `Caseware's auth/token answer held no token`, status);
  }
  if (status === 429) {
    return new UpstreamError(VENDOR, { kind: 'rate_limited', retryAfterMs: 1000 }, `Caseware throttled the token request (${detail})`, status, true);
  }
  if (status >= 400 && status < 500) {
    return new UpstreamError(VENDOR, { kind: 'unauthorized' }, `Caseware refused the API client credentials (${detail})`, status);
  }
  return new UpstreamError(VENDOR, problemForStatus(status), `Caseware could not issue a token (${detail})`, status);
}

/** A vendor that echoed the secret back must not get it into our errors or logs. */
function redact(message: string | undefined, secret: string): string | undefined {
  return message === undefined || secret === '' ? message : message.split(secret).join('[redacted]');
}
