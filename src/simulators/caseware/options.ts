/**
 * What a Caseware simulator can be told at start: the options, their defaults, the live token-bucket knobs,
 * and the checks that refuse a bad option with a message naming what was expected and what arrived.
 */
import { CASEWARE_TOKEN_TTL_MS } from '../../vendors/caseware/wire.ts';

export interface CasewareCredentials {
  clientId: string;
  clientSecret: string;
}

/** The demo API client every test and the standalone simulator use unless told otherwise. */
export const CASEWARE_DEMO_CREDENTIALS: Readonly<CasewareCredentials> = Object.freeze({
  clientId: 'demo-client-4f2a',
  clientSecret: 'demo-secret-caseware-7c91e0',
});

export const CASEWARE_DEFAULT_FIRM = 'demo-firm';

/** Spring Cloud Gateway's RequestRateLimiter knobs. Read on every request: change them while running. */
export interface CasewareLimits {
  /** Most tokens a client's bucket holds (and holds when new). Default 20. */
  burstCapacity: number;
  /** Tokens added back per second. Default 10. */
  replenishRate: number;
  /** Tokens each request costs. Default 1. */
  requestedTokens: number;
}

export const DEFAULT_CASEWARE_LIMITS: Readonly<CasewareLimits> = Object.freeze({
  burstCapacity: 20,
  replenishRate: 10,
  requestedTokens: 1,
});

export interface CasewareSimulatorOptions {
  /** Port to listen on. Default 0: a free port. */
  port?: number;
  /** Address to listen on. Default 127.0.0.1: loopback only (the compose file's simulators service says 0.0.0.0). */
  host?: string;
  /** Serve only what the vendor documents (undocumented.ts says what goes and how). Default false. */
  strict?: boolean;
  /** The firm segment of the path prefix. Default `demo-firm`. */
  firm?: string;
  /** The one API client that may ask for tokens. Default CASEWARE_DEMO_CREDENTIALS. */
  credentials?: CasewareCredentials;
  /** How long a token lives, by `clock`. Default 30 minutes (docs). */
  tokenTtlMs?: number;
  /** Token-bucket knobs; missing ones come from DEFAULT_CASEWARE_LIMITS. */
  limits?: Partial<CasewareLimits>;
  /** PRNG seed for the records. Default 1. */
  seed?: number;
  /** Seeded users. Default 60. */
  users?: number;
  /** Seeded entities (the firm's clients). Default 150. */
  entities?: number;
  /** Milliseconds since the epoch, for token expiry and bucket refills. Default Date.now. */
  clock?: () => number;
}

/** Every option filled in and checked: what the rest of the simulator reads. */
export interface CasewareSettings {
  readonly port: number;
  readonly firm: string;
  readonly credentials: CasewareCredentials;
  readonly tokenTtlMs: number;
  readonly seed: number;
  readonly users: number;
  readonly entities: number;
  readonly clock: () => number;
}

export function resolveCasewareOptions(options: CasewareSimulatorOptions): CasewareSettings {
  const settings: CasewareSettings = {
    port: options.port ?? 0,
    firm: options.firm ?? CASEWARE_DEFAULT_FIRM,
    credentials: options.credentials ?? CASEWARE_DEMO_CREDENTIALS,
    tokenTtlMs: options.tokenTtlMs ?? CASEWARE_TOKEN_TTL_MS,
    seed: options.seed ?? 1,
    users: options.users ?? 60,
    entities: options.entities ?? 150,
    clock: options.clock ?? Date.now,
  };
  const problems: string[] = [];
  const expect = (ok: boolean, what: string, got: unknown) => {
    if (!ok) problems.push(`expected ${what}, got ${JSON.stringify(got)}`);
  };
  const wholeAtLeast = (value: number, min: number) => Number.isInteger(value) && value >= min;
  expect(wholeAtLeast(settings.port, 0) && settings.port <= 65_535, 'port to be 0-65535', settings.port);
  expect(/^[A-Za-z0-9_-]+$/.test(settings.firm), 'firm to be a single path segment like demo-firm', settings.firm);
  expect(typeof settings.credentials.clientId === 'string' && settings.credentials.clientId !== '',
    'credentials.clientId to be a non-empty string', settings.credentials.clientId);
  expect(typeof settings.credentials.clientSecret === 'string' && settings.credentials.clientSecret !== '',
    'credentials.clientSecret to be a non-empty string', settings.credentials.clientSecret === '' ? '' : '(hidden)');
  expect(settings.tokenTtlMs > 0, 'tokenTtlMs to be above 0', settings.tokenTtlMs);
  expect(Number.isInteger(settings.seed), 'seed to be an integer', settings.seed);
  expect(wholeAtLeast(settings.users, 0), 'users to be a whole number', settings.users);
  expect(wholeAtLeast(settings.entities, 0), 'entities to be a whole number', settings.entities);
  for (const key of ['burstCapacity', 'replenishRate', 'requestedTokens'] as const) {
    const value = options.limits?.[key];
    if (value !== undefined) expect(Number.isFinite(value) && value >= 0, `limits.${key} to be 0 or more`, value);
  }
  if (problems.length > 0) throw new Error(`Caseware simulator options: ${problems.join('; ')}`);
  return settings;
}
