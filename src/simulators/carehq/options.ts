/**
 * What a CareHQ simulator can be told at start: the options, their defaults, and the checks that refuse a bad
 * one with a message naming what was expected and what arrived.
 */

/** A type alias rather than an interface so it also passes as a plain `Record<string, string>`. */
export type CareHqCredentials = {
  readonly accountId: string;
  readonly apiKey: string;
  readonly apiSecret: string;
};

/** Obviously fake; what tests and the demo sign with unless they pass their own. */
export const CAREHQ_DEMO_CREDENTIALS: CareHqCredentials = Object.freeze({
  accountId: 'sim-demo-account',
  apiKey: 'sim-demo-api-key',
  apiSecret: 'sim-demo-secret-not-real',
});

export interface CareHqSimulatorOptions {
  /** Default 0: a free port. */
  readonly port?: number;
  /** Address to listen on. Default 127.0.0.1: loopback only (the compose file's simulators service says 0.0.0.0). */
  readonly host?: string;
  /** Serve only what the vendor documents (undocumented.ts says what goes and how). Default false. */
  readonly strict?: boolean;
  /** Default CAREHQ_DEMO_CREDENTIALS. */
  readonly credentials?: CareHqCredentials;
  /** Requests each API key may make per one-second window. Default 10 (the documented limit). */
  readonly perSecond?: number;
  /** Seconds a request's timestamp may differ from the clock before it is stale. Default 300. */
  readonly timestampToleranceSeconds?: number;
  /** PRNG seed for the starting data. Default 1. */
  readonly seed?: number;
  /** Care enquiries to start with. Default 253 (26 pages of 10). */
  readonly enquiries?: number;
  /** Users to start with. Default 24. */
  readonly users?: number;
  /**
   * Whether lists take `filters-ids`, the gateway's assumed extension (vendors.md names no such filter). Default
   * true; false answers it as CareHQ answers any unknown argument, a 400 with `arg_errors`.
   */
  readonly idsFilter?: boolean;
  /** Epoch ms; drives rate-limit windows, timestamp checks and record times. Default Date.now. */
  readonly clock?: () => number;
}

/** Every option filled in, checked and frozen: what the rest of the simulator reads. */
export type CareHqSettings = Readonly<Required<CareHqSimulatorOptions>>;

const DEFAULTS = Object.freeze({
  port: 0,
  host: '127.0.0.1',
  strict: false,
  credentials: CAREHQ_DEMO_CREDENTIALS,
  perSecond: 10,
  timestampToleranceSeconds: 300,
  seed: 1,
  enquiries: 253,
  users: 24,
  idsFilter: true,
  clock: (): number => Date.now(),
});

export function resolveCareHqOptions(options: CareHqSimulatorOptions): CareHqSettings {
  const settings = Object.freeze({ ...DEFAULTS, ...withoutUndefined(options) });
  validateSettings(settings);
  return settings;
}

function validateSettings(settings: Required<CareHqSimulatorOptions>): void {
  const wholeNumbers = {
    port: settings.port,
    perSecond: settings.perSecond,
    seed: settings.seed,
    enquiries: settings.enquiries,
    users: settings.users,
    timestampToleranceSeconds: settings.timestampToleranceSeconds,
  };
  for (const [name, value] of Object.entries(wholeNumbers)) {
    if (!Number.isInteger(value) || value < 0) {
      throw new Error(`expected options.${name} to be a whole number >= 0, got ${String(value)}`);
    }
  }
  for (const name of ['accountId', 'apiKey', 'apiSecret'] as const) {
    const value: unknown = settings.credentials[name];
    if (typeof value !== 'string' || value === '') {
      throw new Error(`expected options.credentials.${name} to be a non-empty string, got ${typeof value === 'string' ? 'an empty string' : String(value)}`);
    }
  }
  if (typeof settings.clock !== 'function') throw new Error(`expected options.clock to be a function, got ${typeof settings.clock}`);
}

function withoutUndefined<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<T>;
}
