/**
 * OAuth tokens in Redis, shared by every replica. Each credential has one key holding its token sealed with a
 * key only holders of the client secret can derive (token-crypto.ts), and one lock key: whoever sets it (SET
 * NX PX, with a random owner value) asks the vendor, and only that owner may delete it again (a Lua compare
 * and delete), so a holder whose lock ran out cannot free the lock its successor now holds.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { systemClock, type Clock } from './clock.ts';
import { openToken, sealToken, type TokenSlot } from './token-crypto.ts';
import type { StoredToken, TokenLock, TokenStore } from './token-store.ts';

export interface RedisTokenStoreOptions {
  /** Key prefix, so several gateways can share one Redis. Default `vendor-graph:token:`. */
  readonly prefix?: string;
  /** Turns a token's expiry into a key lifetime. Default: the system clock. */
  readonly clock?: Clock;
}

/** Deletes KEYS[1] only while it still holds ARGV[1]: compare and delete in one step, as no client can. */
const DELETE_IF_EQUAL = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

export class RedisTokenStore implements TokenStore {
  private readonly prefix: string;
  private readonly clock: Clock;

  constructor(
    private readonly redis: Redis,
    options: RedisTokenStoreOptions = {},
  ) {
    this.prefix = options.prefix ?? 'vendor-graph:token:';
    this.clock = options.clock ?? systemClock;
  }

  async read(slot: TokenSlot): Promise<StoredToken | undefined> {
    const sealed = await this.redis.get(this.key(slot));
    const token = sealed === null ? undefined : openToken(slot, sealed);
    return token && token.expiresAt > this.clock.now() ? token : undefined;
  }

  async write(slot: TokenSlot, token: StoredToken): Promise<void> {
    const lifeMs = Math.floor(token.expiresAt - this.clock.now());
    if (lifeMs <= 0) return;
    await this.redis.set(this.key(slot), sealToken(slot, token), 'PX', lifeMs);
  }

  /**
   * The stored ciphertext differs from write to write (a fresh IV each time), so the comparison runs on the
   * opened token here, and the delete then insists on the exact ciphertext that was opened: a token another
   * replica stored in between is never the one deleted.
   */
  async invalidate(slot: TokenSlot, value: string): Promise<boolean> {
    const key = this.key(slot);
    const sealed = await this.redis.get(key);
    if (sealed === null || openToken(slot, sealed)?.value !== value) return false;
    return Number(await this.redis.eval(DELETE_IF_EQUAL, 1, key, sealed)) === 1;
  }

  async lock(slot: TokenSlot, ttlMs: number): Promise<TokenLock | undefined> {
    const key = `${this.key(slot)}:lock`;
    const owner = randomUUID();
    const taken = await this.redis.set(key, owner, 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX');
    if (taken !== 'OK') return undefined;
    return {
      // If Redis is away the lock simply runs out; nobody waits on this.
      release: () => this.redis.eval(DELETE_IF_EQUAL, 1, key, owner).then(
        () => undefined,
        () => undefined,
      ),
    };
  }

  private key(slot: TokenSlot): string {
    return this.prefix + slot.id;
  }
}
