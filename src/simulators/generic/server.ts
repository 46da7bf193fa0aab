/**
 * A loopback simulator of the Generic OAuth2 API (vendors.md, "Generic OAuth2 API"): client-credentials
 * tokens, users with page/limit lists, bulk create with per-item results and Idempotency-Key replay, a fixed
 * window rate limit reported in a choice of header styles, and Standard Webhooks deliveries.
 *
 * The token endpoint is not rate limited and needs no bearer (our choice: it is how a client recovers from an
 * expired token, so limiting it would lock a client out). Everything else needs a live bearer token and
 * counts against the token's client.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  GENERIC_BULK_MAX,
  GENERIC_IDEMPOTENCY_HEADER,
  GENERIC_IDEMPOTENT_REPLAY_HEADER,
  GENERIC_LIST_LIMITS,
  GENERIC_PREFIX,
  GENERIC_ROLES,
  GENERIC_TOKEN_PATH,
  type GenericBulkFailure,
  type GenericBulkItem,
  type GenericError,
  type GenericErrorBody,
  type GenericErrorCode,
  type GenericPage,
  type GenericRole,
  type GenericTokenResponse,
  type GenericUser,
} from '../../vendors/generic/wire.ts';
import {
  SimRouter,
  readForm,
  startSimServer,
  type SimFaults,
  type SimLogEntry,
  type SimRequest,
  type SimResponse,
} from '../http.ts';
import { prng } from '../seed.ts';
import {
  DEFAULT_GENERIC_LIMITS,
  FixedWindowLimiter,
  GENERIC_HEADER_STYLES,
  rateLimitHeaders,
  secondsUntilReset,
  type GenericLimits,
} from './ratelimit.ts';
import { compareGenericUsers, seedGenericUsers, userId } from './seed.ts';
import { WebhookHub } from './webhooks.ts';

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

interface IssuedToken {
  readonly clientId: string;
  /** ms epoch by the simulator's clock. */
  readonly expiresAt: number;
}

interface StoredAnswer {
  readonly at: number;
  /** sha256 of the request body: the same key with another body is refused rather than replayed. */
  readonly fingerprint: string;
  readonly status: number;
  readonly body: unknown;
}

/** Everything the simulator holds; tests may read and change it. */
export interface GenericStore {
  /** In creation order; lists sort them by (lastName, firstName, id). */
  users: GenericUser[];
  /** The user `GET users/me` answers for the client. */
  serviceUserId: string;
  /** access token -> who holds it and until when. */
  readonly tokens: Map<string, IssuedToken>;
  /** `${clientId}:${Idempotency-Key}` -> the answer given. */
  readonly idempotency: Map<string, StoredAnswer>;
}

export interface GenericStats {
  /** Every call to the token endpoint, refused ones included. */
  tokenRequests: number;
  tokensIssued: number;
  /** Users made by `POST users/bulk` (replays create nothing). */
  usersCreated: number;
}

export interface GenericSimulator {
  /** Origin plus `/api/v1`: what a client configures. */
  readonly baseUrl: string;
  /** `${baseUrl}/oauth/token`. */
  readonly tokenUrl: string;
  readonly credentials: GenericCredentials;
  readonly faults: SimFaults;
  readonly log: SimLogEntry[];
  readonly store: GenericStore;
  /** Live: a change applies to the next request. */
  readonly limits: GenericLimits;
  readonly stats: GenericStats;
  /** Subscriptions and `deliveries`; `await webhooks.idle()` waits for deliveries and their retries. */
  readonly webhooks: WebhookHub;
  close(): Promise<void>;
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

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_NAME_LENGTH = 100;

export async function startGenericSimulator(options: GenericSimulatorOptions = {}): Promise<GenericSimulator> {
  const settings = validate(options);
  const { clock, credentials, limits } = settings;
  const limiter = new FixedWindowLimiter(limits, clock);
  const idRandom = prng((settings.seed ^ 0x5eed) >>> 0);
  const users = seedGenericUsers(settings.seed, settings.userCount);
  const store: GenericStore = {
    users,
    serviceUserId: users[0]?.id ?? '',
    tokens: new Map(),
    idempotency: new Map(),
  };
  const stats: GenericStats = { tokenRequests: 0, tokensIssued: 0, usersCreated: 0 };
  const webhooks = new WebhookHub({
    clock,
    fetch: settings.fetch,
    retryDelaysMs: settings.webhookRetryDelaysMs,
    attemptTimeoutMs: settings.webhookTimeoutMs,
  });

  /** The client behind a live bearer token, or why there is none. */
  function authenticate(req: Pick<SimRequest, 'headers'>): { clientId: string } | { refusal: string } {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) return { refusal: 'missing bearer token: send Authorization: Bearer <access_token>' };
    const token = store.tokens.get(match[1]);
    if (!token) return { refusal: 'unknown access token' };
    if (clock() >= token.expiresAt) return { refusal: 'access token expired: request a new one' };
    return { clientId: token.clientId };
  }

  function clientOf(req: SimRequest): string {
    const auth = authenticate(req);
    // The guard has already refused requests without a live token, so this only trips if the clock moved.
    if (!('clientId' in auth)) throw new Error(auth.refusal);
    return auth.clientId;
  }

  function issueToken(req: SimRequest): SimResponse {
    stats.tokenRequests += 1;
    const form = readForm(req);
    const client = clientCredentials(req, form);
    if (!client || !sameSecret(client, credentials)) {
      return {
        ...fail(401, 'INVALID_CLIENT', 'client authentication failed: unknown client_id or wrong client_secret'),
        headers: { 'www-authenticate': 'Basic realm="generic-api"' },
      };
    }
    const grantType = form.get('grant_type')?.[0];
    if (grantType !== 'client_credentials') {
      return fail(400, 'UNSUPPORTED_GRANT_TYPE', 'only grant_type=client_credentials is supported', {
        field: 'grant_type',
        value: grantType ?? null,
      });
    }
    const accessToken = `gat_${randomBytes(24).toString('base64url')}`;
    store.tokens.set(accessToken, { clientId: client.clientId, expiresAt: clock() + settings.tokenTtlSeconds * 1000 });
    stats.tokensIssued += 1;
    const body: GenericTokenResponse = {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: settings.tokenTtlSeconds,
    };
    // RFC 6749 5.1: token answers must not be cached.
    return { status: 200, headers: { 'cache-control': 'no-store', pragma: 'no-cache' }, body };
  }

  function listUsers(req: SimRequest): SimResponse {
    const ids = req.query.get('ids');
    if (ids !== null) return usersByIds(ids);
    const page = intParam(req.query, 'page', 1, 1, Number.MAX_SAFE_INTEGER);
    if ('error' in page) return page.error;
    const limit = intParam(req.query, 'limit', GENERIC_LIST_LIMITS.defaultLimit, 1, GENERIC_LIST_LIMITS.maxLimit);
    if ('error' in limit) return limit.error;
    const sorted = [...store.users].sort(compareGenericUsers);
    const start = (page.value - 1) * limit.value;
    const body: GenericPage<GenericUser> = {
      data: sorted.slice(start, start + limit.value),
      meta: {
        currentPage: page.value,
        totalPages: Math.ceil(sorted.length / limit.value),
        totalItems: sorted.length,
        itemsPerPage: limit.value,
      },
    };
    return { status: 200, body };
  }

  function usersByIds(raw: string): SimResponse {
    const ids = [...new Set(raw.split(',').map((s) => s.trim()).filter(Boolean))];
    if (ids.length === 0 || ids.length > GENERIC_LIST_LIMITS.maxIds) {
      return fail(400, 'INVALID_INPUT', `ids takes 1 to ${GENERIC_LIST_LIMITS.maxIds} comma-separated ids`, {
        field: 'ids',
        value: raw,
      });
    }
    const byId = new Map(store.users.map((u) => [u.id, u]));
    const data = ids.flatMap((id) => byId.get(id) ?? []);
    const body: GenericPage<GenericUser> = {
      data,
      meta: { currentPage: 1, totalPages: 1, totalItems: data.length, itemsPerPage: ids.length },
    };
    return { status: 200, body };
  }

  function oneUser(id: string): SimResponse {
    const user = store.users.find((u) => u.id === id);
    if (!user) return fail(404, 'NOT_FOUND', `no user with id ${id}`, { field: 'id', value: id });
    return { status: 200, body: user };
  }

  function bulkCreate(req: SimRequest): SimResponse {
    const key = header(req, GENERIC_IDEMPOTENCY_HEADER);
    if (key === undefined) return createUsers(req.rawBody);
    const slot = `${clientOf(req)}:${key}`;
    const fingerprint = createHash('sha256').update(req.rawBody).digest('hex');
    const stored = store.idempotency.get(slot);
    if (stored && clock() - stored.at < settings.idempotencyTtlSeconds * 1000) {
      if (stored.fingerprint !== fingerprint) {
        return fail(422, 'IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used with a different body', {
          field: 'Idempotency-Key',
          value: key,
        });
      }
      return { status: stored.status, headers: { [GENERIC_IDEMPOTENT_REPLAY_HEADER]: 'true' }, body: stored.body };
    }
    const answer = createUsers(req.rawBody);
    store.idempotency.set(slot, { at: clock(), fingerprint, status: answer.status, body: answer.body });
    return answer;
  }

  function createUsers(rawBody: Buffer): SimResponse {
    let items: unknown;
    try {
      items = JSON.parse(rawBody.toString('utf8'));
    } catch {
      return fail(400, 'INVALID_INPUT', 'body must be a JSON array of users', { field: 'body', value: null });
    }
    if (!Array.isArray(items) || items.length === 0 || items.length > GENERIC_BULK_MAX) {
      return fail(400, 'INVALID_INPUT', `body must be a JSON array of 1 to ${GENERIC_BULK_MAX} users`, {
        field: 'body',
        value: Array.isArray(items) ? items.length : typeof items,
      });
    }
    const taken = new Set(store.users.map((u) => u.email.toLowerCase()));
    const results: GenericBulkItem[] = items.map((item: unknown, index) => {
      const checked = checkNewUser(item, taken);
      if ('error' in checked) return { index, status: 'error', error: checked.error };
      taken.add(checked.email.toLowerCase());
      const now = new Date(clock()).toISOString();
      const user: GenericUser = { id: freshId(), ...checked, createdAt: now, updatedAt: now };
      store.users.push(user);
      stats.usersCreated += 1;
      webhooks.emit('user.created', user);
      return { index, status: 'created', user };
    });
    const created = results.filter((r) => r.status === 'created').length;
    if (created === results.length) return { status: 201, body: { data: results } };
    if (created > 0) return { status: 207, body: { data: results } };
    const none: GenericBulkFailure = {
      error: { code: 'INVALID_INPUT', message: 'no user in the batch could be created' },
      data: results,
    };
    return { status: 400, body: none };
  }

  function freshId(): string {
    const ids = new Set(store.users.map((u) => u.id));
    let id = userId(idRandom);
    while (ids.has(id)) id = userId(idRandom);
    return id;
  }

  const router = new SimRouter()
    .on('POST', GENERIC_TOKEN_PATH, issueToken)
    .on('GET', 'users/me', () => oneUser(store.serviceUserId))
    .on('GET', 'users', listUsers)
    .on('POST', 'users/bulk', bulkCreate)
    .on('GET', 'users/:id', (req) => oneUser(req.params.id ?? ''))
    .on('POST', 'webhooks', (req) => {
      const result = webhooks.register(parseJson(req.rawBody));
      return result.ok ? { status: 201, body: result.webhook } : { status: 400, body: { error: result.error } };
    })
    .on('GET', 'webhooks', () => {
      const data = webhooks.list();
      return {
        status: 200,
        body: { data, meta: { currentPage: 1, totalPages: 1, totalItems: data.length, itemsPerPage: data.length } },
      };
    })
    .on('DELETE', 'webhooks/:id', (req) =>
      webhooks.remove(req.params.id ?? '')
        ? { status: 204 }
        : fail(404, 'NOT_FOUND', `no webhook with id ${req.params.id ?? ''}`),
    );

  const sim = await startSimServer({
    prefix: GENERIC_PREFIX,
    port: settings.port,
    router,
    hooks: {
      guard: (req) => {
        if (req.path === GENERIC_TOKEN_PATH) return undefined;
        const auth = authenticate(req);
        if ('refusal' in auth) {
          return {
            ...fail(401, 'UNAUTHORIZED', auth.refusal),
            headers: { 'www-authenticate': 'Bearer realm="generic-api", error="invalid_token"' },
          };
        }
        const decision = limiter.take(auth.clientId);
        if (decision.kind === 'limited') return rateLimited();
        return undefined;
      },
      // Rate-limit headers go on every answer to a known client, 429s included, in the configured style.
      decorate: (req, res) => {
        const auth = req.path === GENERIC_TOKEN_PATH ? undefined : authenticate(req);
        if (!auth || !('clientId' in auth)) {
          return res.status === 429 ? { 'retry-after': String(Math.max(1, Math.ceil(limits.windowSeconds))) } : {};
        }
        const view = limiter.peek(auth.clientId);
        const shown = res.status === 429 ? { ...view, remaining: 0 } : view;
        const headers = rateLimitHeaders(limits.headerStyle, shown);
        if (res.status === 429) headers['retry-after'] = String(secondsUntilReset(view));
        return headers;
      },
      serverError: () => fail(500, 'INTERNAL', 'internal server error; retry later'),
      rateLimited,
      notFound: () => fail(404, 'NOT_FOUND', 'no such resource'),
    },
  });

  return {
    baseUrl: sim.baseUrl,
    tokenUrl: `${sim.baseUrl}/${GENERIC_TOKEN_PATH}`,
    credentials,
    faults: sim.faults,
    log: sim.log,
    store,
    limits,
    stats,
    webhooks,
    close: async () => {
      webhooks.close();
      await sim.close();
    },
  };
}

function rateLimited(): SimResponse {
  return fail(429, 'RATE_LIMITED', 'rate limit exceeded; retry after the Retry-After header');
}

function fail(status: number, code: GenericErrorCode, message: string, details?: Record<string, unknown>): SimResponse {
  const error: GenericError = details ? { code, message, details } : { code, message };
  const body: GenericErrorBody = { error };
  return { status, body };
}

function header(req: SimRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** client_id/client_secret from HTTP Basic (preferred, RFC 6749 2.3.1) or the form body. */
function clientCredentials(req: SimRequest, form: Map<string, string[]>): GenericCredentials | undefined {
  const basic = /^Basic\s+(\S+)\s*$/i.exec(header(req, 'authorization') ?? '');
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    // RFC 6749 2.3.1 form-encodes both parts before Basic encoding them.
    const unform = (s: string) => {
      try {
        return decodeURIComponent(s.replace(/\+/g, ' '));
      } catch {
        return s;
      }
    };
    return { clientId: unform(decoded.slice(0, colon)), clientSecret: unform(decoded.slice(colon + 1)) };
  }
  const clientId = form.get('client_id')?.[0];
  const clientSecret = form.get('client_secret')?.[0];
  return clientId !== undefined && clientSecret !== undefined ? { clientId, clientSecret } : undefined;
}

function sameSecret(given: GenericCredentials, known: GenericCredentials): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  // Comparing digests keeps the comparison constant-time whatever the lengths.
  return given.clientId === known.clientId && timingSafeEqual(digest(given.clientSecret), digest(known.clientSecret));
}

function intParam(
  query: URLSearchParams,
  field: string,
  fallback: number,
  min: number,
  max: number,
): { value: number } | { error: SimResponse } {
  const raw = query.get(field);
  if (raw === null) return { value: fallback };
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer from ${min}` : `an integer from ${min} to ${max}`;
    return { error: fail(400, 'INVALID_INPUT', `${field} must be ${range}`, { field, value: raw }) };
  }
  return { value };
}

type NewUser = Pick<GenericUser, 'email' | 'firstName' | 'lastName' | 'role'>;

/** Validates one bulk item; `taken` holds lower-cased emails already in use, this batch's included. */
function checkNewUser(item: unknown, taken: ReadonlySet<string>): NewUser | { error: GenericError } {
  const bad = (field: string, value: unknown, message: string, code: GenericErrorCode = 'INVALID_INPUT') => ({
    error: { code, message, details: { field, value: value ?? null } },
  });
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return bad('item', item, 'each item must be an object { email, firstName, lastName, role? }');
  }
  const { email, firstName, lastName, role } = item as Record<string, unknown>;
  if (typeof email !== 'string' || !EMAIL_PATTERN.test(email.trim())) {
    return bad('email', email, 'email is not a valid address');
  }
  for (const [field, value] of [['firstName', firstName], ['lastName', lastName]] as const) {
    if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_NAME_LENGTH) {
      return bad(field, value, `${field} is required (1 to ${MAX_NAME_LENGTH} characters)`);
    }
  }
  const roles: readonly unknown[] = GENERIC_ROLES;
  if (role !== undefined && !roles.includes(role)) {
    return bad('role', role, `role must be one of ${GENERIC_ROLES.join(', ')}`);
  }
  const cleanEmail = email.trim();
  if (taken.has(cleanEmail.toLowerCase())) {
    return bad('email', cleanEmail, 'a user with this email already exists', 'CONFLICT');
  }
  return {
    email: cleanEmail,
    firstName: (firstName as string).trim(),
    lastName: (lastName as string).trim(),
    role: (role as GenericRole | undefined) ?? 'member',
  };
}

function validate(options: GenericSimulatorOptions) {
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
