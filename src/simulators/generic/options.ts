/**
 * What a Generic OAuth2 API simulator can be told at start: the options, their defaults, and the checks that
 * refuse a bad one with a message naming what was expected and what arrived.
 */
import { DEFAULT_GENERIC_LIMITS, GENERIC_HEADER_STYLES, type GenericLimits } from './ratelimit.ts';

export interface GenericCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** What the simulator accepts unless told otherwise; tests and the demo log in with these. */
export const GENERIC_DEMO_CREDENTIALS: GenericCredentials = Object.freeze({
  clientId: 'generic-demo-client',
  clientSecret: 'generic-demo-secret-5f2c9a',
});

export interface GenericSimulatorOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Address to listen on. Default 127.0.0.1: loopback only (the compose file's simulators service says 0.0.0.0). */
  host?: string;
  /** Serve only what the vendor documents (undocumented.ts says what goes and how). Default false. */
  strict?: boolean;
  /** The one OAuth client the simulator knows. Default GENERIC_DEMO_CREDENTIALS. */
  credentials?: GenericCredentials;
  /** Lifetime of an access token, judged by `clock`. Default 3600. */
  tokenTtlSeconds?: number;
  /** Starting rate-limit settings; the returned `limits` stays live. Default 50 per 10 s, epoch-seconds headers. */
  limits?: Partial<GenericLimits>;
  /** Seed for the users and for ids of users created later. Default 1. */
  seed?: number;
  /** Seeded users; the first is the client's service user (`GET users/me`). Default 45. */
  userCount?: number;
  /** ms epoch, for token expiry, rate-limit windows, timestamps. Default Date.now. */
  clock?: () => number;
  /** How long an Idempotency-Key's answer is kept, by `clock`. Default 86400 (24 hours). */
  idempotencyTtlSeconds?: number;
  /** Used to deliver webhooks. Default globalThis.fetch. */
  fetch?: typeof fetch;
  /**
   * Waits before each retry of a failed webhook delivery; its length is the number of retries.
   * Default [250, 1000, 4000].
   */
  webhookRetryDelaysMs?: readonly number[];
  /** Gives up on one webhook attempt after this many ms. Default 5000. */
  webhookTimeoutMs?: number;
}

const DEFAULTS = Object.freeze({
  port: 0,
  tokenTtlSeconds: 3600,
  seed: 1,
  userCount: 45,
  idempotencyTtlSeconds: 86_400,
  webhookRetryDelaysMs: [250, 1000, 4000] as readonly number[],
  webhookTimeoutMs: 5000,
});

/** Every option filled in and checked; frozen except for the live `limits`. */
export type GenericSettings = ReturnType<typeof resolveGenericOptions>;

export function resolveGenericOptions(options: GenericSimulatorOptions) {
  const s = {
    port: options.port ?? DEFAULTS.port,
    credentials: options.credentials ?? GENERIC_DEMO_CREDENTIALS,
    tokenTtlSeconds: options.tokenTtlSeconds ?? DEFAULTS.tokenTtlSeconds,
    seed: options.seed ?? DEFAULTS.seed,
    userCount: options.userCount ?? DEFAULTS.userCount,
    clock: options.clock ?? Date.now,
    idempotencyTtlSeconds: options.idempotencyTtlSeconds ?? DEFAULTS.idempotencyTtlSeconds,
    fetch: options.fetch ?? globalThis.fetch,
    webhookRetryDelaysMs: options.webhookRetryDelaysMs ?? DEFAULTS.webhookRetryDelaysMs,
    webhookTimeoutMs: options.webhookTimeoutMs ?? DEFAULTS.webhookTimeoutMs,
    // Not frozen: the simulator hands this object out as its live `limits`.
    limits: { ...DEFAULT_GENERIC_LIMITS, ...options.limits } as GenericLimits,
  };
  const { credentials: c, limits: l } = s;
  const checks: Array<[ok: boolean, expected: string, got: unknown]> = [
    [Number.isInteger(s.port) && s.port >= 0 && s.port < 65536, 'port to be an integer 0..65535', s.port],
    [
      c.clientId.length > 0 && c.clientSecret.length > 0,
      'credentials with a non-empty clientId and clientSecret',
      { clientId: c.clientId, clientSecret: c.clientSecret ? '<set>' : '' },
    ],
    [s.tokenTtlSeconds > 0, 'tokenTtlSeconds to be a positive number of seconds', s.tokenTtlSeconds],
    [Number.isInteger(s.userCount) && s.userCount >= 1, 'userCount to be at least 1 (the service user)', s.userCount],
    [s.idempotencyTtlSeconds > 0, 'idempotencyTtlSeconds to be a positive number of seconds', s.idempotencyTtlSeconds],
    [s.webhookRetryDelaysMs.every((ms) => ms >= 0), 'webhookRetryDelaysMs to hold ms >= 0', s.webhookRetryDelaysMs],
    [Number.isInteger(l.limit) && l.limit >= 0, 'limits.limit to be a non-negative integer', l.limit],
    [l.windowSeconds > 0, 'limits.windowSeconds to be positive', l.windowSeconds],
    [
      GENERIC_HEADER_STYLES.includes(l.headerStyle),
      `limits.headerStyle to be one of ${GENERIC_HEADER_STYLES.join(', ')}`,
      l.headerStyle,
    ],
  ];
  for (const [ok, expected, got] of checks) {
    if (!ok) throw new Error(`generic simulator: expected ${expected}, got ${JSON.stringify(got)}`);
  }
  return Object.freeze(s);
}
