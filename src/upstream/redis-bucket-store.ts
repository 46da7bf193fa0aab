/**
 * Rate budgets in Redis, so that every replica of the gateway draws on one budget per vendor credential
 * (the vendor counts calls per key, not per replica). Each take, observe and snapshot is one Lua script
 * (redis-bucket-scripts.ts, registered with ioredis `defineCommand`), which Redis runs atomically: one round
 * trip, no optimistic retries, and no contention between replicas however many share a budget.
 *
 * Time is Redis's own clock, read inside the script (option `clock`), so every replica agrees on it and a
 * token is charged to the window Redis hands it out in, however long the command waited on a busy event loop
 * or socket first. Only durations (waitMs) go back to the caller, so its timers need no shared clock.
 */
import type { Redis } from 'ioredis';
import type { BucketStore } from './bucket-store.ts';
import type { BucketState, BudgetSnapshot, RateSignal, RateSpec, TakeResult } from './rate-limit.ts';
import { OBSERVE_SCRIPT, SNAPSHOT_SCRIPT, TAKE_SCRIPT } from './redis-bucket-scripts.ts';

export interface RedisBucketStoreOptions {
  /** Key prefix, so several gateways can share one Redis. Default `vendor-graph:budget:`. */
  readonly prefix?: string;
  /** Budgets untouched this long are dropped, seconds. Default 3600. */
  readonly ttlSeconds?: number;
  /**
   * Whose clock the budgets run on: `redis` (the server's TIME, read in the script) or `caller` (the `now`
   * each call passes, as the in-memory store uses it: for tests with fixed times). Default `redis`.
   */
  readonly clock?: 'redis' | 'caller';
  /**
   * The state a budget starts from when Redis has none (first use, or Redis restarted empty). Default: the
   * seed's full budget. A fallback store passes what this replica knows of the vendor's current window.
   */
  readonly startState?: (key: string, seed: RateSpec, now: number) => BucketState | undefined;
}

type ScriptArgs = [key: string, now: string, ttl: string, seed: string, start: string, ...rest: string[]];

/** The commands `defineCommand` adds to the client; ioredis types them only by this declaration. */
interface BudgetCommands {
  vgBudgetTake(...args: ScriptArgs): Promise<string>;
  vgBudgetObserve(...args: ScriptArgs): Promise<string>;
  vgBudgetSnapshot(...args: ScriptArgs): Promise<string>;
}

const COMMANDS: Readonly<Record<keyof BudgetCommands, string>> = Object.freeze({
  vgBudgetTake: TAKE_SCRIPT,
  vgBudgetObserve: OBSERVE_SCRIPT,
  vgBudgetSnapshot: SNAPSHOT_SCRIPT,
});

/** Asks the script to answer `missing` rather than start from the seed, so `startState` can be consulted. */
const ASK_FOR_START = '?';
const FROM_SEED = '';

export class RedisBucketStore implements BucketStore {
  private readonly prefix: string;
  private readonly ttlSeconds: number;
  private readonly startState: RedisBucketStoreOptions['startState'];
  private readonly serverClock: boolean;
  private readonly commands: BudgetCommands;

  constructor(redis: Redis, options: RedisBucketStoreOptions = {}) {
    this.prefix = options.prefix ?? 'vendor-graph:budget:';
    this.ttlSeconds = options.ttlSeconds ?? 3600;
    if (!Number.isInteger(this.ttlSeconds) || this.ttlSeconds < 1) {
      throw new Error(`expected ttlSeconds to be a whole number of at least 1, got ${String(options.ttlSeconds)}`);
    }
    this.startState = options.startState;
    const clock = options.clock ?? 'redis';
    if (clock !== 'redis' && clock !== 'caller') throw new Error(`expected clock to be redis or caller, got ${String(clock)}`);
    this.serverClock = clock === 'redis';
    // Defining again (a second store on the same client) replaces the same script with itself. ioredis sends
    // EVALSHA and falls back to EVAL when Redis has lost its script cache (a restart), so nothing else to do.
    for (const [name, lua] of Object.entries(COMMANDS)) redis.defineCommand(name, { numberOfKeys: 1, lua });
    // The client now has the commands; TypeScript cannot see what defineCommand added at run time.
    this.commands = redis as unknown as BudgetCommands;
  }

  async take(key: string, seed: RateSpec, now: number): Promise<TakeResult> {
    const answer = await this.run('vgBudgetTake', key, seed, now, []);
    if (answer === 'ok') return { ok: true };
    return { ok: false, waitMs: parseNumber(answer.slice('wait:'.length), answer) };
  }

  async observe(key: string, seed: RateSpec, signal: RateSignal, now: number, othersInFlight = 0): Promise<void> {
    await this.run('vgBudgetObserve', key, seed, now, [JSON.stringify(signal), String(othersInFlight)]);
  }

  async snapshot(key: string, seed: RateSpec, now: number): Promise<BudgetSnapshot> {
    return JSON.parse(await this.run('vgBudgetSnapshot', key, seed, now, [])) as BudgetSnapshot;
  }

  /**
   * Runs one script. With a `startState` option a missing key costs a second round trip: the script says so,
   * and only then is the start state worked out and sent. Every other call is one round trip.
   */
  private async run(command: keyof BudgetCommands, key: string, seed: RateSpec, now: number, extra: string[]): Promise<string> {
    const redisKey = this.prefix + key;
    const common = [redisKey, this.serverClock ? 'server' : String(now), String(this.ttlSeconds), JSON.stringify(seed)] as const;
    const first = await this.commands[command](...common, this.startState ? ASK_FOR_START : FROM_SEED, ...extra);
    if (first !== 'missing') return first;
    const start = this.startState?.(key, seed, now);
    return this.commands[command](...common, start ? JSON.stringify(start) : FROM_SEED, ...extra);
  }
}

function parseNumber(text: string, answer: string): number {
  const value = Number(text);
  if (!Number.isFinite(value)) throw new Error(`rate budget script answered "${answer}", expected ok or wait:<ms>`);
  return value;
}
