/**
 * Bearer tokens for OAuth2-style vendors (Caseware, the Generic API, Clinicea's login). One token per
 * credential, refreshed shortly before it expires; concurrent callers at expiry share one token request
 * (single flight). After a 401 the adapter calls `refresh(staleToken)`: only the first caller holding that
 * stale token fetches a new one, so a hundred parallel 401s still cost one token request.
 *
 * With a shared store (Redis, through token-store.ts) the same holds across replicas: a replica that needs a
 * token first looks in the store; only the one that takes the credential's lock asks the vendor, and the
 * others poll the store, with backoff, until the token is there or the lock runs out (then one of them takes
 * over). A refused token is removed from the store only if it is still the one stored, so a 401 on an old
 * token never throws away the new one another replica just stored.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from './clock.ts';
import type { OutgoingRequest } from './request.ts';
import { tokenSlot, type TokenCredential, type TokenSlot } from './token-crypto.ts';
import { MemoryTokenStore, type TokenStore } from './token-store.ts';

export type { TokenCredential } from './token-crypto.ts';

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
  /** Where tokens are shared. Default: a MemoryTokenStore of this cache's own (this process only). */
  readonly store?: TokenStore;
  /** Names the token in the store and keys its encryption. Required with `store`; default: a random one. */
  readonly credential?: TokenCredential;
  /**
   * How long the replica that asks the vendor holds the credential's lock, ms: longer than one token request
   * may take (its timeout), or a slow answer would be raced by a second request. Default 15000.
   */
  readonly lockMs?: number;
  /** First wait between looks at the store while another replica asks, ms; doubles up to 1000. Default 50. */
  readonly pollMs?: number;
}

const MAX_POLL_MS = 1000;

export class TokenCache {
  private current: IssuedToken | undefined;
  private pending: Promise<IssuedToken> | undefined;
  private readonly refreshBeforeMs: number;
  private readonly store: TokenStore;
  private readonly slot: TokenSlot;
  private readonly lockMs: number;
  private readonly pollMs: number;

  constructor(
    private readonly issue: () => Promise<IssuedToken>,
    private readonly clock: Clock,
    options: TokenCacheOptions = {},
  ) {
    if (options.store && !options.credential) throw new Error('expected a credential to name the token in its store, got none');
    this.refreshBeforeMs = options.refreshBeforeMs ?? 60_000;
    this.store = options.store ?? new MemoryTokenStore({ clock, maxSlots: 1 });
    this.slot = tokenSlot(options.credential ?? { vendor: 'unnamed', issuer: '', clientId: randomUUID(), secret: randomUUID() });
    this.lockMs = options.lockMs ?? 15_000;
    this.pollMs = options.pollMs ?? 50;
  }

  /** A token valid for at least `refreshBeforeMs` more, fetching one if needed. */
  async get(): Promise<string> {
    const token = this.current;
    if (token && this.fresh(token)) return token.value;
    return (await this.fetch(token?.value)).value;
  }

  /**
   * After a 401 with `stale`: fetch a new token unless someone already replaced it. Resolves true when the
   * caller should try once more with the (new) current token.
   */
  async refresh(stale: string | undefined): Promise<boolean> {
    if (this.current && this.current.value !== stale) return true;
    this.current = undefined;
    await this.fetch(stale, stale);
    return true;
  }

  /** Forget the token in this process (e.g. credentials rotated); the store's copy expires by itself. */
  clear(): void {
    this.current = undefined;
  }

  private fresh(token: IssuedToken): boolean {
    return token.expiresAt - this.refreshBeforeMs > this.clock.now();
  }

  /** One acquisition per process at a time, whoever asks: `seen` is the token being replaced, `refused` one a vendor refused. */
  private fetch(seen: string | undefined, refused?: string): Promise<IssuedToken> {
    this.pending ??= this.acquire(seen, refused)
      .then((token) => {
        this.current = token;
        return token;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }

  private async acquire(seen: string | undefined, refused: string | undefined): Promise<IssuedToken> {
    if (refused !== undefined) await this.store.invalidate(this.slot, refused);
    const giveUpAt = this.clock.now() + 2 * this.lockMs;
    let waitMs = this.pollMs;
    for (;;) {
      const found = await this.usable(seen);
      if (found) return found;
      const lock = await this.store.lock(this.slot, this.lockMs);
      if (lock) {
        try {
          // Someone may have stored a token between the look above and taking the lock.
          return (await this.usable(seen)) ?? (await this.issueAndStore());
        } finally {
          await lock.release();
        }
      }
      // Locks run out, so this only trips when the store misbehaves (a lock that never expires); then asking
      // once more than needed beats waiting forever.
      if (this.clock.now() >= giveUpAt) return this.issueAndStore();
      await sleep(waitMs * (0.75 + Math.random() / 2));
      waitMs = Math.min(waitMs * 2, MAX_POLL_MS);
    }
  }

  private async issueAndStore(): Promise<IssuedToken> {
    const token = await this.issue();
    await this.store.write(this.slot, token);
    return token;
  }

  /**
   * A stored token worth using: alive and not the one being replaced. Not necessarily fresh: a token whose
   * whole life is shorter than `refreshBeforeMs` is never fresh, and would otherwise be asked for again by
   * every replica that finds it.
   */
  private async usable(seen: string | undefined): Promise<IssuedToken | undefined> {
    const token = await this.store.read(this.slot);
    return token && token.value !== seen && token.expiresAt > this.clock.now() ? token : undefined;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
