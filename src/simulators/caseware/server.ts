/**
 * A loopback Caseware Cloud API v2 (../shared/vendors.md, "Caseware Cloud"): bearer tokens from `auth/token`,
 * paged bare-array lists with `search`, and Spring Cloud Gateway's token bucket per API client.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import {
  CASEWARE_PAGE_SIZE,
  CASEWARE_RATE_HEADERS,
  CASEWARE_TOKEN_TTL_MS,
  casewarePrefix,
  type CasewareErrorBody,
  type CasewareTokenResponse,
  type CasewareUser,
  type CasewareEntity,
  type CasewareGroup,
} from '../../vendors/caseware/wire.ts';
import {
  SimRouter,
  startSimServer,
  type SimFaults,
  type SimHandler,
  type SimLogEntry,
  type SimRequest,
  type SimResponse,
} from '../http.ts';
import { compileSearch, type FieldKind, type SearchSchema } from './search.ts';
import { seedCaseware, type CasewareStore } from './seed.ts';

export type { CasewareStore } from './seed.ts';

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

export interface CasewareStats {
  /** Calls to `POST auth/token`, answered or not: how tests check the gateway reuses its token. */
  tokenRequests: number;
  /** Tokens actually handed out. */
  tokensIssued: number;
}

export interface CasewareSimulator {
  /** Origin plus `/{firm}/ms/caseware-cloud/api/v2`, no trailing slash. */
  readonly baseUrl: string;
  readonly firm: string;
  /** The current credentials; `resetSecret` changes `clientSecret` here. */
  readonly credentials: Readonly<CasewareCredentials>;
  readonly faults: SimFaults;
  readonly log: SimLogEntry[];
  /** The live records; edit them and the next request sees the change. */
  readonly store: CasewareStore;
  /** Live: changing a field changes the next answer's headers and throttling. */
  readonly limits: CasewareLimits;
  readonly stats: CasewareStats;
  /** Sets a new client secret and ends every session, as resetting it in Caseware does (docs). */
  resetSecret(newSecret: string): void;
  close(): Promise<void>;
}

interface Session {
  readonly clientId: string;
  readonly expiresAt: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

const USER_SEARCH = {
  CWGuid: 'string',
  FirstName: 'string',
  LastName: 'string',
  MiddleName: 'nullable-string',
  Email: 'string',
  Title: 'nullable-string',
  UserName: 'string',
  OwnerType: 'string',
  Admin: 'boolean',
  CanLogin: 'boolean',
  Type: 'string',
  InActiveDate: 'nullable-string',
  CreatedDate: 'string',
  ModifiedDate: 'string',
} as const satisfies Record<keyof CasewareUser, FieldKind>;

const ENTITY_SEARCH = {
  CWGuid: 'string',
  Name: 'string',
  Number: 'string',
  EntityType: 'string',
  Email: 'nullable-string',
  Phone: 'nullable-string',
  Address: 'nullable-string',
  CreatedDate: 'string',
  ModifiedDate: 'string',
  StaffCWGuids: 'string-list',
} as const satisfies Record<keyof CasewareEntity, FieldKind>;

const NAMED_SEARCH = {
  CWGuid: 'string',
  Name: 'string',
  Description: 'nullable-string',
} as const satisfies Record<keyof CasewareGroup, FieldKind>;

export async function startCasewareSimulator(options: CasewareSimulatorOptions = {}): Promise<CasewareSimulator> {
  const settings = validate(options);
  const { clock, firm } = settings;
  const credentials: CasewareCredentials = { ...settings.credentials };
  const limits: CasewareLimits = { ...DEFAULT_CASEWARE_LIMITS, ...options.limits };
  const store = seedCaseware({ seed: settings.seed, users: settings.users, entities: settings.entities });
  const stats: CasewareStats = { tokenRequests: 0, tokensIssued: 0 };
  const sessions = new Map<string, Session>();
  const buckets = new Map<string, Bucket>();
  // http.ts hands guard and decorate the same headers object for one request, so this carries the bucket's
  // answer from the guard to the response even when other requests interleave (latency faults).
  const rateHeadersFor = new WeakMap<IncomingHttpHeaders, Record<string, string>>();

  const router = new SimRouter()
    .on('POST', 'auth/token', (req) => issueToken(req))
    .on('GET', 'users', list(() => store.users, byUserName, USER_SEARCH))
    .on('GET', 'users/:guid', one(() => store.users, 'User not found'))
    .on('GET', 'entities', list(() => store.entities, byName, ENTITY_SEARCH))
    .on('GET', 'entities/:guid', one(() => store.entities, 'Entity not found'))
    .on('GET', 'groups', list(() => store.groups, byName, NAMED_SEARCH))
    .on('GET', 'roles', list(() => store.roles, byName, NAMED_SEARCH));

  function issueToken(req: SimRequest): SimResponse {
    let body: unknown;
    try {
      body = JSON.parse(req.rawBody.toString('utf8'));
    } catch {
      return error(400, 'Expected a JSON body {"ClientId","ClientSecret","Language"}');
    }
    const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    const { ClientId: clientId, ClientSecret: clientSecret, Language: language } = fields;
    if (typeof clientId !== 'string' || typeof clientSecret !== 'string') {
      return error(400, 'ClientId and ClientSecret are required strings');
    }
    if (language !== undefined && typeof language !== 'string') return error(400, 'Language must be a string');
    // One message for a wrong id and a wrong secret, and neither is echoed back.
    if (clientId !== credentials.clientId || clientSecret !== credentials.clientSecret) {
      return error(401, 'Invalid client credentials');
    }
    const token = randomBytes(32).toString('base64url');
    sessions.set(token, { clientId, expiresAt: clock() + settings.tokenTtlMs });
    stats.tokensIssued += 1;
    const answer: CasewareTokenResponse = { Token: token };
    return { status: 200, body: answer };
  }

  function authenticate(headers: IncomingHttpHeaders): Session | string {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
    if (!match?.[1]) return 'Missing bearer token';
    const session = sessions.get(match[1]);
    if (!session) return 'Invalid or expired token';
    if (clock() >= session.expiresAt) {
      sessions.delete(match[1]);
      return 'Invalid or expired token';
    }
    return session;
  }

  /** Spring Cloud Gateway's Redis token bucket: refill by elapsed time, cap at capacity, then take. */
  function take(clientId: string): { allowed: boolean; remaining: number } {
    const now = clock();
    const bucket = buckets.get(clientId) ?? { tokens: limits.burstCapacity, at: now };
    const elapsedSeconds = Math.max(0, now - bucket.at) / 1000;
    const filled = Math.min(limits.burstCapacity, bucket.tokens + elapsedSeconds * limits.replenishRate);
    const allowed = filled >= limits.requestedTokens;
    const tokens = allowed ? filled - limits.requestedTokens : filled;
    buckets.set(clientId, { tokens, at: now });
    return { allowed, remaining: Math.max(0, Math.floor(tokens)) };
  }

  const server = await startSimServer({
    prefix: casewarePrefix(firm),
    router,
    port: settings.port,
    hooks: {
      guard: (req) => {
        if (req.path === 'auth/token') {
          if (req.method === 'POST') stats.tokenRequests += 1;
          return undefined;
        }
        const session = authenticate(req.headers);
        if (typeof session === 'string') {
          return { ...error(401, session), headers: { 'www-authenticate': 'Bearer' } };
        }
        const { allowed, remaining } = take(session.clientId);
        rateHeadersFor.set(req.headers, rateHeaders(limits, remaining));
        // Spring Cloud Gateway answers an empty bucket with a bare 429: no body, no Retry-After.
        return allowed ? undefined : { status: 429 };
      },
      decorate: (req) => rateHeadersFor.get(req.headers) ?? {},
      serverError: () => error(500, 'An unexpected error occurred'),
      rateLimited: () => ({ status: 429, headers: rateHeaders(limits, 0) }),
      notFound: () => error(404, 'Resource not found'),
    },
  });

  return {
    baseUrl: server.baseUrl,
    firm,
    credentials,
    faults: server.faults,
    log: server.log,
    store,
    limits,
    stats,
    resetSecret(newSecret: string) {
      if (typeof newSecret !== 'string' || newSecret === '') {
        throw new Error(`expected a non-empty new client secret, got ${JSON.stringify(newSecret)}`);
      }
      credentials.clientSecret = newSecret;
      sessions.clear();
    },
    close: () => server.close(),
  };
}

function list<T extends object>(
  records: () => readonly T[],
  order: (a: T, b: T) => number,
  schema: SearchSchema,
): SimHandler {
  return (req) => {
    const page = positiveInt(req.query.get('page'), 1, Number.MAX_SAFE_INTEGER);
    if (page === undefined) return error(400, `page must be a whole number from 1, got '${req.query.get('page')}'`);
    const pageSize = positiveInt(req.query.get('pageSize'), CASEWARE_PAGE_SIZE.default, CASEWARE_PAGE_SIZE.max);
    if (pageSize === undefined) {
      return error(
        400,
        `pageSize must be a whole number from 1 to ${CASEWARE_PAGE_SIZE.max}, got '${req.query.get('pageSize')}'`,
      );
    }
    const search = compileSearch(req.query.getAll('search'), schema);
    if (search.kind === 'invalid') return error(400, search.message);
    const rows = records().filter(search.filter).sort(order);
    const start = (page - 1) * pageSize;
    return { status: 200, body: rows.slice(start, start + pageSize) };
  };
}

function one<T extends { CWGuid: string }>(records: () => readonly T[], notFound: string): SimHandler {
  return (req) => {
    const wanted = (req.params.guid ?? '').toUpperCase();
    const record = records().find((r) => r.CWGuid.toUpperCase() === wanted);
    return record ? { status: 200, body: record } : error(404, notFound);
  };
}

/** Stable across machines: code-unit order, never the host's locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byUserName(a: CasewareUser, b: CasewareUser): number {
  return compare(a.LastName, b.LastName) || compare(a.FirstName, b.FirstName) || compare(a.CWGuid, b.CWGuid);
}

function byName(a: { Name: string; CWGuid: string }, b: { Name: string; CWGuid: string }): number {
  return compare(a.Name, b.Name) || compare(a.CWGuid, b.CWGuid);
}

/** `fallback` when absent; undefined when present but not a whole number in [1, max]. */
function positiveInt(raw: string | null, fallback: number, max: number): number | undefined {
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw)) return undefined;
  const value = Number(raw);
  return value >= 1 && value <= max ? value : undefined;
}

function rateHeaders(limits: CasewareLimits, remaining: number): Record<string, string> {
  return {
    [CASEWARE_RATE_HEADERS.burstCapacity]: String(limits.burstCapacity),
    [CASEWARE_RATE_HEADERS.remaining]: String(remaining),
    [CASEWARE_RATE_HEADERS.replenishRate]: String(limits.replenishRate),
    [CASEWARE_RATE_HEADERS.requestedTokens]: String(limits.requestedTokens),
  };
}

function error(status: number, message: string): SimResponse {
  const body: CasewareErrorBody = { errors: [{ message }] };
  return { status, body };
}

interface Settings {
  readonly port: number;
  readonly firm: string;
  readonly credentials: CasewareCredentials;
  readonly tokenTtlMs: number;
  readonly seed: number;
  readonly users: number;
  readonly entities: number;
  readonly clock: () => number;
}

function validate(options: CasewareSimulatorOptions): Settings {
  const settings: Settings = {
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
