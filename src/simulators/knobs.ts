/**
 * The load knobs every simulator's CLI takes (`--rate`, `--records`). Each vendor maps them onto its own
 * limiter and seed in its cli-entry.ts, so that `--rate 10` means the same to a person driving any of them:
 * at most 10 requests in one second, the 11th answered with the vendor's own 429.
 */
export interface SimKnobs {
  /**
   * Requests per second the simulator allows. A fixed-window vendor gets windows of one second holding this
   * many; a token-bucket vendor gets a bucket of this many refilled at this many per second. Default: the
   * vendor's documented limit.
   */
  readonly rate?: number | undefined;
  /** Size of the vendor's main list, seeded deterministically for a given size. Default: the simulator's own. */
  readonly records?: number | undefined;
  /** Serve only what the vendor documents (the simulator's undocumented.ts). Default false. */
  readonly strict?: boolean | undefined;
}

/** The banner line: what is in force, so a person sees whether a knob took. */
export function describeLoad(ratePerSecond: string, records: number, what: string): string {
  return `${ratePerSecond}; ${records} ${what}`;
}
