/**
 * Where OAuth tokens live between token requests. In memory by default (one process); a shared store (Redis)
 * lets every replica use the token one of them asked for, so a credential costs one token request per expiry
 * however many replicas run. TokenCache (token-cache.ts) holds the policy; a store only keeps, compares and
 * locks.
 */
import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from './clock.ts';
import type { TokenSlot } from './token-crypto.ts';

export interface StoredToken {
  readonly value: string;
  /** Epoch ms. */
  readonly expiresAt: number;
}

/** The right to ask the vendor for `slot`'s next token, until `release()` or the lock's time runs out. */
export interface TokenLock {
  /** Frees the lock if this holder still has it (after it ran out, someone else may). Never rejects. */
  release(): Promise<void>;
}

export interface TokenStore {
  /** The token stored for `slot`, unless it has expired. */
  read(slot: TokenSlot): Promise<StoredToken | undefined>;
  /** Stores `token` for `slot` until it expires, replacing any other. */
  write(slot: TokenSlot, token: StoredToken): Promise<void>;
  /** Forgets `slot`'s token only if it is still `value` (the one a vendor refused). Resolves whether it did. */
  invalidate(slot: TokenSlot, value: string): Promise<boolean>;
  /** Takes `slot`'s lock for `ttlMs`, or resolves undefined when someone else holds it. */
  lock(slot: TokenSlot, ttlMs: number): Promise<TokenLock | undefined>;
}

export interface MemoryTokenStoreOptions {
  /** Credentials kept at most; the least recently written is dropped first. Default 1000. */
  readonly maxSlots?: number;
  /** Default: the system clock. */
  readonly clock?: Clock;
}

export class MemoryTokenStore implements TokenStore {
  private readonly tokens = new Map<string, StoredToken>();
  private readonly locks = new Map<string, { readonly owner: string; readonly until: number }>();
  private readonly maxSlots: number;
  private readonly clock: Clock;

  constructor(options: MemoryTokenStoreOptions = {}) {
    this.maxSlots = options.maxSlots ?? 1000;
    if (!Number.isInteger(this.maxSlots) || this.maxSlots < 1) {
      throw new Error(`expected maxSlots to be an integer >= 1, got ${String(options.maxSlots)}`);
    }
    this.clock = options.clock ?? systemClock;
  }

  /** Tokens held now, expired ones not yet dropped included. */
  get size(): number {
    return this.tokens.size;
  }

  read(slot: TokenSlot): Promise<StoredToken | undefined> {
    const token = this.tokens.get(slot.id);
    if (token && token.expiresAt <= this.clock.now()) this.tokens.delete(slot.id);
    return Promise.resolve(token && token.expiresAt > this.clock.now() ? token : undefined);
  }

  write(slot: TokenSlot, token: StoredToken): Promise<void> {
    bounded(this.tokens, slot.id, token, this.maxSlots);
    return Promise.resolve();
  }

  invalidate(slot: TokenSlot, value: string): Promise<boolean> {
    const still = this.tokens.get(slot.id)?.value === value;
    if (still) this.tokens.delete(slot.id);
    return Promise.resolve(still);
  }

  lock(slot: TokenSlot, ttlMs: number): Promise<TokenLock | undefined> {
    const now = this.clock.now();
    const held = this.locks.get(slot.id);
    if (held && held.until > now) return Promise.resolve(undefined);
    const owner = randomUUID();
    bounded(this.locks, slot.id, { owner, until: now + ttlMs }, this.maxSlots);
    return Promise.resolve({
      release: () => {
        if (this.locks.get(slot.id)?.owner === owner) this.locks.delete(slot.id);
        return Promise.resolve();
      },
    });
  }
}

/** Sets `key` as the newest entry of `map`, dropping the oldest ones past `max`. */
function bounded<V>(map: Map<string, V>, key: string, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  for (const oldest of map.keys()) {
    if (map.size <= max) break;
    map.delete(oldest);
  }
}
