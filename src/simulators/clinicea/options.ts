/**
 * What a Clinicea simulator can be told at start: the options, their defaults, the knobs it reads on every
 * request, and the checks that refuse a bad option with a message naming what was expected and what arrived.
 */
import { CLINICEA_FIRST_PAGE_NUMBER, CLINICEA_PAGE_SIZE } from '../../vendors/clinicea/wire.ts';

export type CliniceaCredentials = { readonly apiKey: string };

/** A Clinicea user who may log in for a token (authMode 'token'). */
export type CliniceaUser = { readonly username: string; readonly password: string };

/** The user a token-mode simulator accepts unless told otherwise. */
export const CLINICEA_DEMO_USER: CliniceaUser = Object.freeze({
  username: 'demo.frontdesk',
  password: 'clinicea-demo-password-4e81',
});

/** The key the simulator accepts unless told otherwise; tests and the demo configure the gateway with it. */
export const CLINICEA_DEMO_CREDENTIALS: CliniceaCredentials = Object.freeze({
  apiKey: 'clinicea-demo-7f3c9a2e5b1d4068',
});

export interface CliniceaSimulatorOptions {
  /** Default 0: a free port. */
  readonly port?: number;
  /** Address to listen on. Default 127.0.0.1: loopback only (the compose file's simulators service says 0.0.0.0). */
  readonly host?: string;
  /** Serve only what the vendor documents (undocumented.ts says what goes and how). Default false. */
  readonly strict?: boolean;
  /** Default CLINICEA_DEMO_CREDENTIALS. */
  readonly credentials?: CliniceaCredentials;
  /**
   * 'header': only the key in the `api` header, as documented. 'token': also `GET login/getTokenByApiKey` for
   * `users`, and calls that carry a live token as `api_key` instead of the header. Default 'header'.
   */
  readonly authMode?: 'header' | 'token';
  /** Who may log in, in token mode. Default [CLINICEA_DEMO_USER]. */
  readonly users?: readonly CliniceaUser[];
  /** How long a token lives, ms, by `clock`; 0 makes every token already expired. Default 1 hour. */
  readonly tokenTtlMs?: number;
  /** Requests allowed per one-second window for the key. Default 5 (our choice; vendors.md names no number). */
  readonly perSecond?: number;
  /** Status of an injected 5xx fault: 500 or 503, both in the vendor's list. Default 500. */
  readonly serverErrorStatus?: 500 | 503;
  /** PRNG seed for the seeded leads. Default 1. */
  readonly seed?: number;
  /** Seeded leads. Default 345: three full pages of 100 and a short fourth. */
  readonly leadCount?: number;
  /** Records per page. Default CLINICEA_PAGE_SIZE (100). */
  readonly pageSize?: number;
  /** Number of the first page: 0 as documented, 1 as another version of the vendor's help says. Default 0. */
  readonly firstPageNumber?: 0 | 1;
  /**
   * User ids to own seeded leads (the lead passes the Generic OAuth2 API's ids here); about 80% of leads get
   * one. Default: 12 generated `usr_...` ids.
   */
  readonly ownerUserIds?: readonly string[];
  /** Epoch ms for rate-limit windows and the timestamps of writes. Default Date.now. */
  readonly clock?: () => number;
}

/** Knobs read on every request, so changing them changes behaviour at once. */
export interface CliniceaLimits {
  perSecond: number;
  serverErrorStatus: 500 | 503;
}

const DEFAULTS = Object.freeze({
  port: 0,
  credentials: CLINICEA_DEMO_CREDENTIALS,
  authMode: 'header' as 'header' | 'token',
  users: Object.freeze([CLINICEA_DEMO_USER]) as readonly CliniceaUser[],
  tokenTtlMs: 60 * 60 * 1000,
  perSecond: 5,
  serverErrorStatus: 500 as 500 | 503,
  seed: 1,
  leadCount: 345,
  pageSize: CLINICEA_PAGE_SIZE,
  firstPageNumber: CLINICEA_FIRST_PAGE_NUMBER as 0 | 1,
  clock: Date.now,
});

/** Every option filled in and checked: what the rest of the simulator reads. */
export function resolveCliniceaOptions(options: CliniceaSimulatorOptions) {
  const config = { ...DEFAULTS, ...definedOnly(options) };
  validateOptions(config);
  return config;
}

/** Drops keys whose value is undefined, so that spreading the rest over defaults keeps the defaults. */
export function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function validateOptions(config: {
  port: number;
  credentials: CliniceaCredentials;
  authMode: string;
  users: readonly CliniceaUser[];
  tokenTtlMs: number;
  perSecond: number;
  serverErrorStatus: number;
  seed: number;
  leadCount: number;
  pageSize: number;
  firstPageNumber: number;
}): void {
  const problems: string[] = [];
  const wholeAtLeast = (name: string, value: number, min: number) => {
    if (!Number.isInteger(value) || value < min) {
      problems.push(`expected ${name} to be a whole number >= ${min}, got ${value}`);
    }
  };
  wholeAtLeast('port', config.port, 0);
  wholeAtLeast('perSecond', config.perSecond, 1);
  wholeAtLeast('leadCount', config.leadCount, 0);
  wholeAtLeast('pageSize', config.pageSize, 1);
  wholeAtLeast('tokenTtlMs', config.tokenTtlMs, 0);
  if (config.authMode !== 'header' && config.authMode !== 'token') {
    problems.push(`expected authMode to be 'header' or 'token', got ${JSON.stringify(config.authMode)}`);
  }
  if (config.authMode === 'token') {
    const bad = config.users.findIndex((user) => !user.username || typeof user.password !== 'string' || user.password === '');
    if (config.users.length === 0) problems.push('expected users to name at least one { username, password } in token mode, got none');
    else if (bad >= 0) problems.push(`expected users[${bad}] to have a non-empty username and password, got an empty one`);
  }
  if (!Number.isFinite(config.seed)) problems.push(`expected seed to be a number, got ${config.seed}`);
  if (config.firstPageNumber !== 0 && config.firstPageNumber !== 1) {
    problems.push(`expected firstPageNumber to be 0 or 1, got ${config.firstPageNumber}`);
  }
  if (config.serverErrorStatus !== 500 && config.serverErrorStatus !== 503) {
    problems.push(`expected serverErrorStatus to be 500 or 503, got ${config.serverErrorStatus}`);
  }
  if (typeof config.credentials.apiKey !== 'string' || config.credentials.apiKey === '') {
    problems.push('expected credentials.apiKey to be a non-empty string, got nothing');
  }
  if (problems.length > 0) throw new Error(`Clinicea simulator options: ${problems.join('; ')}`);
}
