/**
 * How long to wait after a 429 that says nothing about when to come back (no Retry-After, no reset). The
 * Generic API's docs ask for "retry mechanisms with exponential backoff"; CareCloud's API Gateway never sends a
 * hint at all. A fixed wait would have every replica retry in lockstep and hit the same wall, so each bare 429
 * in a row doubles the wait, and jitter spreads the retries. A success starts over.
 *
 * "In a row" is judged by time: 429s that arrive before the last wait is over are the same wall, met by calls
 * already in flight, so they get a wait at the same level instead of doubling it (otherwise a burst of
 * parallel calls would push the wait past every deadline at once).
 */
export interface ThrottleBackoffOptions {
  /** The wait after the first bare 429, ms, before jitter. */
  readonly baseMs: number;
  /** The longest wait, ms, before jitter. */
  readonly maxMs: number;
  /** [0, 1). Default Math.random; injectable so tests can pin the jitter. */
  readonly random?: () => number;
}

export class ThrottleBackoff {
  private streak = 0;
  private until = 0;
  private readonly random: () => number;

  constructor(private readonly options: ThrottleBackoffOptions) {
    if (!(options.baseMs > 0) || !(options.maxMs >= options.baseMs)) {
      throw new Error(`expected 0 < baseMs <= maxMs, got baseMs ${options.baseMs} and maxMs ${options.maxMs}`);
    }
    this.random = options.random ?? Math.random;
  }

  /**
   * Counts one more bare 429 and answers the wait: base × 2^(streak-1), capped, with "equal jitter" (half
   * fixed, half random), so the wait never collapses to nothing yet two clients rarely pick the same one.
   */
  next(now: number): number {
    if (this.streak === 0 || now >= this.until) this.streak += 1;
    const ceiling = Math.min(this.options.maxMs, this.options.baseMs * 2 ** Math.min(this.streak - 1, 30));
    const wait = Math.ceil(ceiling / 2 + this.random() * (ceiling / 2));
    this.until = Math.max(this.until, now + wait);
    return wait;
  }

  /** A success ends the streak. */
  reset(): void {
    this.streak = 0;
    this.until = 0;
  }

  /** Bare 429s in a row so far. */
  get consecutive(): number {
    return this.streak;
  }
}
