/** Time as the upstream core sees it; tests pass their own to step through windows and deadlines. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
