/**
 * A loopback CareHQ (vendors.md, "CareHQ"): signed requests, a per-key limit of N requests per one-second
 * window, URL-encoded forms in and JSON out, care enquiries and users. Built on the shared simulator server;
 * everything vendor-specific lives here and in ./signature.ts.
 */
import {
  CAREHQ_AUTH_HEADERS,
  CAREHQ_PREFIX,
  CAREHQ_RATE_HEADERS,
  FUNDING_TYPES,
  type CareHqEnquiry,
  type CareHqEnquiryForm,
  type CareHqErrorBody,
  type CareHqPage,
  type CareHqUser,
} from '../../vendors/carehq/wire.ts';
import {
  SimRouter,
  multiMap,
  readForm,
  startSimServer,
  type SimFaults,
  type SimHandler,
  type SimLogEntry,
  type SimRequest,
  type SimResponse,
} from '../http.ts';
import { prng } from '../seed.ts';
import { GENDERS, buildCareHqSeed, objectIdFactory } from './seed.ts';
import { NonceLedger, header, verifyCareHqSignature } from './signature.ts';

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
  /** Epoch ms; drives rate-limit windows, timestamp checks and record times. Default Date.now. */
  readonly clock?: () => number;
}

/** Read on every request: mutate to change behaviour while the simulator runs. */
export interface CareHqLimits {
  perSecond: number;
}

export interface CareHqStore {
  readonly enquiries: Map<string, CareHqEnquiry>;
  readonly users: Map<string, CareHqUser>;
}

export interface CareHqSimulator {
  /** Origin plus `/v1`: what a client that joins paths onto a base URL configures. */
  readonly baseUrl: string;
  /** Origin only: what the official SDKs take as their base URL (they add `/v1` themselves). */
  readonly origin: string;
  readonly credentials: CareHqCredentials;
  readonly faults: SimFaults;
  readonly log: SimLogEntry[];
  readonly store: CareHqStore;
  readonly limits: CareHqLimits;
  close(): Promise<void>;
}

const DEFAULTS = Object.freeze({
  port: 0,
  credentials: CAREHQ_DEMO_CREDENTIALS,
  perSecond: 10,
  timestampToleranceSeconds: 300,
  seed: 1,
  enquiries: 253,
  users: 24,
  clock: (): number => Date.now(),
});

const MAX_PER_PAGE = 100;
const DEFAULT_PER_PAGE = 10;

export async function startCareHqSimulator(options: CareHqSimulatorOptions = {}): Promise<CareHqSimulator> {
  const settings = Object.freeze({ ...DEFAULTS, ...withoutUndefined(options) });
  validateSettings(settings);
  const { credentials, clock } = settings;

  const seeded = buildCareHqSeed(settings);
  const store: CareHqStore = { enquiries: seeded.enquiries, users: seeded.users };
  const limits: CareHqLimits = { perSecond: settings.perSecond };
  const windows = new FixedWindows(limits, clock);
  const nonces = new NonceLedger();
  // Separate stream from the seed's so records created at run time do not shift the seeded ones.
  const nextId = objectIdFactory(prng(settings.seed ^ 0x5eed));

  const guard = (req: SimRequest): SimResponse | undefined => {
    const accountId = header(req.headers, CAREHQ_AUTH_HEADERS.accountId);
    const apiKey = header(req.headers, CAREHQ_AUTH_HEADERS.apiKey);
    if (!accountId || !apiKey) return unauthorized('Missing X-CareHQ-AccountId or X-CareHQ-APIKey header.');
    if (accountId !== credentials.accountId || apiKey !== credentials.apiKey) {
      return unauthorized('Unknown account id or API key.');
    }
    const verdict = verifyCareHqSignature(
      { method: req.method, path: req.path, params: signedParams(req), headers: req.headers },
      { secret: credentials.apiSecret, nowSeconds: clock() / 1000, toleranceSeconds: settings.timestampToleranceSeconds, nonces },
    );
    if (verdict.kind === 'rejected') return unauthorized(verdict.hint);
    return windows.take(apiKey) ? undefined : rateLimited();
  };

  const router = new SimRouter()
    .on('GET', 'care-enquiries', listHandler(store.enquiries, ENQUIRY_LIST))
    .on('PUT', 'care-enquiries', (req) => createEnquiry(req, store, clock, nextId))
    .on('GET', 'care-enquiries/:id', getHandler(store.enquiries, ENQUIRY_LIST))
    .on('PATCH', 'care-enquiries/:id', (req) => patchEnquiry(req, store, clock))
    .on('DELETE', 'care-enquiries/:id', (req) => {
      const id = req.params.id ?? '';
      if (!store.enquiries.delete(id)) return notFound(`No care enquiry with _id "${id}".`);
      // The SDKs parse JSON on every answer, so a delete still sends a body.
      return { status: 200, body: {} };
    })
    .on('GET', 'users', listHandler(store.users, USER_LIST))
    .on('GET', 'users/:id', getHandler(store.users, USER_LIST));

  const server = await startSimServer({
    prefix: CAREHQ_PREFIX,
    port: settings.port,
    router,
    hooks: {
      guard,
      decorate: (req) => {
        const apiKey = header(req.headers, CAREHQ_AUTH_HEADERS.apiKey);
        return apiKey === credentials.apiKey ? windows.headers(apiKey) : {};
      },
      serverError: () =>
        errorResponse(500, { error_type: 'api_error', hint: 'CareHQ could not handle the request; try again shortly.' }),
      // An injected burst skips the window count, so say "none left" here; decorate adds limit and reset.
      rateLimited: () => ({ ...rateLimited(), headers: { [CAREHQ_RATE_HEADERS.remaining]: '0' } }),
      notFound: () => notFound('No such resource.'),
    },
  });

  return {
    baseUrl: server.baseUrl,
    origin: server.baseUrl.slice(0, -CAREHQ_PREFIX.length),
    credentials,
    faults: server.faults,
    log: server.log,
    store,
    limits,
    close: () => server.close(),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Rate limit

/** Fixed one-second windows per API key (window = floor(clock / 1000)), as the vendor documents. */
class FixedWindows {
  private readonly used = new Map<string, { window: number; count: number }>();

  constructor(
    private readonly limits: CareHqLimits,
    private readonly clock: () => number,
  ) {}

  /** Counts one request; false when it is over the limit. */
  take(key: string): boolean {
    const state = this.current(key);
    state.count += 1;
    return state.count <= this.limits.perSecond;
  }

  headers(key: string): Record<string, string> {
    const state = this.current(key);
    return {
      [CAREHQ_RATE_HEADERS.limit]: String(this.limits.perSecond),
      [CAREHQ_RATE_HEADERS.remaining]: String(Math.max(0, this.limits.perSecond - state.count)),
      [CAREHQ_RATE_HEADERS.reset]: String(state.window + 1),
    };
  }

  private current(key: string): { window: number; count: number } {
    const window = Math.floor(this.clock() / 1000);
    let state = this.used.get(key);
    if (!state || state.window !== window) {
      state = { window, count: 0 };
      this.used.set(key, state);
    }
    return state;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Lists and single records

interface ListSpec<T> {
  /** Every field a record has: what `attributes` and `sort_by` may name. */
  readonly fields: ReadonlySet<string>;
  readonly noun: string;
  /** `filters-<name>` this list understands; an answer of a string is the error for the argument. */
  readonly filters: Readonly<Record<string, (values: readonly string[]) => ((record: T) => boolean) | string>>;
}

const ENQUIRY_FIELDS = Object.keys({
  _id: 1, created: 1, modified: 1, first_name: 1, last_name: 1, email: 1, mobile: 1, phone: 1, dob: 1, genders: 1,
  enquiring_for_self: 1, funding_type: 1, care_requirements: 1, dementia: 1, location: 1, service: 1,
  sales_channel: 1, assigned_to: 1, closing_notes: 1, anonymized: 1,
} satisfies Record<keyof CareHqEnquiry, 1>);

const USER_FIELDS = Object.keys({
  _id: 1, created: 1, modified: 1, email: 1, first_name: 1, last_name: 1, mobile: 1, location_role: 1, locations: 1,
  mfa_enabled: 1, invited: 1, invite_accepted: 1,
} satisfies Record<keyof CareHqUser, 1>);

const idsFilter = (values: readonly string[]) => {
  const ids = new Set(values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean));
  return (record: { _id: string }) => ids.has(record._id);
};

const searchFilter = (values: readonly string[]) => {
  const terms = values.join(' ').toLowerCase().split(/\s+/).filter(Boolean);
  return (record: { first_name: string | null; last_name: string | null; email: string | null; mobile: string | null; phone?: string | null }) => {
    const haystack = [record.first_name, record.last_name, record.email, record.mobile, record.phone]
      .filter((v): v is string => typeof v === 'string')
      .map((v) => v.toLowerCase());
    const squashed = haystack.map((v) => v.replace(/\s+/g, ''));
    return terms.every((term) => haystack.some((v) => v.includes(term)) || squashed.some((v) => v.includes(term)));
  };
};

const ENQUIRY_LIST: ListSpec<CareHqEnquiry> = {
  fields: new Set(ENQUIRY_FIELDS),
  noun: 'care enquiry',
  filters: {
    q: searchFilter,
    ids: idsFilter,
    funding_type: (values) => {
      const wanted = new Set(values);
      const unknown = values.find((v) => !(FUNDING_TYPES as readonly string[]).includes(v));
      return unknown === undefined ? (record) => record.funding_type !== null && wanted.has(record.funding_type) : 'Not a valid choice.';
    },
    assigned_to: (values) => {
      const wanted = new Set(values);
      return (record) => record.assigned_to !== null && wanted.has(record.assigned_to);
    },
  },
};

const USER_LIST: ListSpec<CareHqUser> = {
  fields: new Set(USER_FIELDS),
  noun: 'user',
  filters: { q: searchFilter, ids: idsFilter },
};

type Parsed<T> = { readonly kind: 'ok'; readonly value: T } | { readonly kind: 'invalid'; readonly argErrors: Record<string, string[]> };

interface ListQuery<T> {
  readonly page: number;
  readonly perPage: number;
  readonly sortField: string;
  readonly descending: boolean;
  readonly attributes: readonly string[] | undefined;
  readonly predicates: ReadonlyArray<(record: T) => boolean>;
}

function listHandler<T extends { _id: string }>(records: Map<string, T>, spec: ListSpec<T>): SimHandler {
  return (req) => {
    const parsed = parseListQuery(req.query, spec);
    if (parsed.kind === 'invalid') return invalid(parsed.argErrors);
    const q = parsed.value;
    const matching = [...records.values()].filter((record) => q.predicates.every((p) => p(record)));
    matching.sort((a, b) => {
      const order = compareValues(fieldOf(a, q.sortField), fieldOf(b, q.sortField));
      // `_id` breaks ties so pages never overlap or skip records when the sort field repeats.
      return (q.descending ? -order : order) || compareValues(a._id, b._id);
    });
    const start = (q.page - 1) * q.perPage;
    const page: CareHqPage<Partial<T>> = {
      items: matching.slice(start, start + q.perPage).map((record) => project(record, q.attributes)),
      page: q.page,
      per_page: q.perPage,
      total_items: matching.length,
      total_pages: Math.ceil(matching.length / q.perPage),
    };
    return { status: 200, body: page };
  };
}

function getHandler<T extends { _id: string }>(records: Map<string, T>, spec: ListSpec<T>): SimHandler {
  return (req) => {
    const argErrors: Record<string, string[]> = {};
    const attributes = parseAttributes(multiMap(req.query), spec, argErrors);
    for (const key of req.query.keys()) if (key !== 'attributes') argErrors[key] = ['Unknown argument.'];
    if (Object.keys(argErrors).length > 0) return invalid(argErrors);
    const id = req.params.id ?? '';
    const record = records.get(id);
    if (!record) return notFound(`No ${spec.noun} with _id "${id}".`);
    return { status: 200, body: project(record, attributes) };
  };
}

function parseListQuery<T>(query: URLSearchParams, spec: ListSpec<T>): Parsed<ListQuery<T>> {
  const args = multiMap(query);
  const argErrors: Record<string, string[]> = {};

  const page = parseWhole(args.get('page')?.[0], 1);
  if (page === undefined || page < 1) argErrors.page = ['Must be a whole number of 1 or more.'];
  const perPage = parseWhole(args.get('per_page')?.[0], DEFAULT_PER_PAGE);
  if (perPage === undefined) argErrors.per_page = ['Not a valid integer.'];
  else if (perPage < 1 || perPage > MAX_PER_PAGE) argErrors.per_page = [`Must be between 1 and ${MAX_PER_PAGE}.`];

  const sortBy = args.get('sort_by')?.[0] ?? '_id';
  const descending = sortBy.startsWith('-');
  const sortField = descending ? sortBy.slice(1) : sortBy;
  if (!spec.fields.has(sortField)) argErrors.sort_by = [`Not a field of a ${spec.noun}.`];

  const attributes = parseAttributes(args, spec, argErrors);

  const predicates: Array<(record: T) => boolean> = [];
  for (const [key, values] of args) {
    if (['page', 'per_page', 'sort_by', 'attributes'].includes(key)) continue;
    const build = key.startsWith('filters-') ? spec.filters[key.slice('filters-'.length)] : undefined;
    if (!build) {
      argErrors[key] = ['Unknown argument.'];
      continue;
    }
    const predicate = build(values);
    if (typeof predicate === 'string') argErrors[key] = [predicate];
    else predicates.push(predicate);
  }

  if (Object.keys(argErrors).length > 0 || page === undefined || perPage === undefined) {
    return { kind: 'invalid', argErrors };
  }
  return { kind: 'ok', value: { page, perPage, sortField, descending, attributes, predicates } };
}

function parseAttributes<T>(
  args: Map<string, string[]>,
  spec: ListSpec<T>,
  argErrors: Record<string, string[]>,
): string[] | undefined {
  const attributes = args.get('attributes');
  if (!attributes) return undefined;
  const unknown = attributes.filter((a) => !spec.fields.has(a));
  if (unknown.length > 0) argErrors.attributes = unknown.map((a) => `"${a}" is not a field of a ${spec.noun}.`);
  return attributes;
}

/** `_id` always comes back, as in a Mongo projection. */
function project<T extends { _id: string }>(record: T, attributes: readonly string[] | undefined): Partial<T> {
  if (!attributes) return record;
  const out: Record<string, unknown> = { _id: record._id };
  for (const name of attributes) out[name] = fieldOf(record, name);
  return out as Partial<T>;
}

function fieldOf(record: object, name: string): unknown {
  return Object.hasOwn(record, name) ? (record as Record<string, unknown>)[name] : undefined;
}

/** Mongo's order for the types these records hold: null first, then booleans, numbers, strings, arrays. */
function compareValues(a: unknown, b: unknown): number {
  const rank = (v: unknown): number =>
    v === null || v === undefined ? 0 : typeof v === 'boolean' ? 1 : typeof v === 'number' ? 2 : typeof v === 'string' ? 3 : 4;
  const byRank = rank(a) - rank(b);
  if (byRank !== 0) return byRank;
  const x = Array.isArray(a) ? JSON.stringify(a) : a;
  const y = Array.isArray(b) ? JSON.stringify(b) : b;
  if (typeof x === 'boolean' || typeof x === 'number' || typeof x === 'string') {
    return x < (y as typeof x) ? -1 : x > (y as typeof x) ? 1 : 0;
  }
  return 0;
}

function parseWhole(raw: string | undefined, fallback: number): number | undefined {
  if (raw === undefined) return fallback;
  return /^-?\d+$/.test(raw.trim()) ? Number(raw) : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Create and update

type FieldRule =
  | { readonly kind: 'text' }
  | { readonly kind: 'email' }
  | { readonly kind: 'date' }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'choice'; readonly choices: readonly string[] }
  | { readonly kind: 'list'; readonly choices?: readonly string[] }
  | { readonly kind: 'user' };

/** Everything a form may set. Exhaustive over the wire type, so a new field there fails to compile here. */
const ENQUIRY_FORM: Readonly<Record<keyof Required<CareHqEnquiryForm>, FieldRule>> = {
  first_name: { kind: 'text' },
  last_name: { kind: 'text' },
  email: { kind: 'email' },
  mobile: { kind: 'text' },
  phone: { kind: 'text' },
  dob: { kind: 'date' },
  genders: { kind: 'list', choices: GENDERS },
  enquiring_for_self: { kind: 'boolean' },
  funding_type: { kind: 'choice', choices: FUNDING_TYPES },
  care_requirements: { kind: 'list' },
  dementia: { kind: 'boolean' },
  location: { kind: 'text' },
  service: { kind: 'text' },
  sales_channel: { kind: 'text' },
  assigned_to: { kind: 'user' },
  closing_notes: { kind: 'text' },
};

// The Python SDK sends str(True) / str(False); other clients send lower case or 1/0.
const TRUE_WORDS = new Set(['true', 'True', '1']);
const FALSE_WORDS = new Set(['false', 'False', '0']);

function createEnquiry(
  req: SimRequest,
  store: CareHqStore,
  clock: () => number,
  nextId: (epochSeconds: number) => string,
): SimResponse {
  const parsed = parseEnquiryForm(req, store);
  if ('status' in parsed) return parsed;
  if (parsed.kind === 'invalid') return invalid(parsed.argErrors);
  const fields = parsed.value;
  if (!nonEmpty(fields.first_name) && !nonEmpty(fields.last_name)) {
    return invalid({ first_name: ['A first name or a last name is required.'] });
  }
  const now = clock();
  const at = new Date(now).toISOString();
  const enquiry: CareHqEnquiry = {
    _id: nextId(now / 1000),
    created: at,
    modified: at,
    first_name: null,
    last_name: null,
    email: null,
    mobile: null,
    phone: null,
    dob: null,
    genders: [],
    enquiring_for_self: null,
    funding_type: null,
    care_requirements: [],
    dementia: null,
    location: null,
    service: null,
    sales_channel: null,
    assigned_to: null,
    closing_notes: null,
    anonymized: false,
    ...fields,
  };
  store.enquiries.set(enquiry._id, enquiry);
  return { status: 200, body: enquiry };
}

function patchEnquiry(req: SimRequest, store: CareHqStore, clock: () => number): SimResponse {
  const id = req.params.id ?? '';
  const existing = store.enquiries.get(id);
  if (!existing) return notFound(`No care enquiry with _id "${id}".`);
  const parsed = parseEnquiryForm(req, store);
  if ('status' in parsed) return parsed;
  if (parsed.kind === 'invalid') return invalid(parsed.argErrors);
  const updated: CareHqEnquiry = { ...existing, ...parsed.value, modified: new Date(clock()).toISOString() };
  store.enquiries.set(id, updated);
  return { status: 200, body: updated };
}

/** A 400 answer as is when the body is not a form at all; otherwise the checked fields. */
function parseEnquiryForm(req: SimRequest, store: CareHqStore): SimResponse | Parsed<CareHqEnquiryForm> {
  const contentType = header(req.headers, 'content-type') ?? '';
  if (req.rawBody.length > 0 && !contentType.includes('application/x-www-form-urlencoded')) {
    return errorResponse(400, {
      error_type: 'invalid_request',
      hint: 'Request bodies must be URL-encoded forms (application/x-www-form-urlencoded).',
    });
  }
  const argErrors: Record<string, string[]> = {};
  const out: Record<string, unknown> = {};
  for (const [key, values] of readForm(req)) {
    const rule = Object.hasOwn(ENQUIRY_FORM, key) ? ENQUIRY_FORM[key as keyof typeof ENQUIRY_FORM] : undefined;
    if (!rule) {
      argErrors[key] = ['Unknown field.'];
      continue;
    }
    const checked = checkField(rule, values, store);
    if (checked.ok) out[key] = checked.value;
    else argErrors[key] = [checked.error];
  }
  if (Object.keys(argErrors).length > 0) return { kind: 'invalid', argErrors };
  // Every key was checked against ENQUIRY_FORM and each value against that field's rule.
  return { kind: 'ok', value: out as CareHqEnquiryForm };
}

type Checked = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string };

/** A form cannot carry null, so an empty value clears a field (null, or [] for a list). */
function checkField(rule: FieldRule, values: readonly string[], store: CareHqStore): Checked {
  if (rule.kind === 'list') {
    const items = values.map((v) => v.trim()).filter(Boolean);
    const bad = rule.choices ? items.find((v) => !rule.choices?.includes(v)) : undefined;
    return bad === undefined ? { ok: true, value: [...new Set(items)] } : { ok: false, error: `"${bad}" is not a valid choice.` };
  }
  if (values.length !== 1) return { ok: false, error: 'Expected a single value.' };
  const value = (values[0] ?? '').trim();
  if (value === '') return { ok: true, value: null };
  switch (rule.kind) {
    case 'text':
      return { ok: true, value };
    case 'email':
      return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) ? { ok: true, value } : { ok: false, error: 'Not a valid email.' };
    case 'date':
      return isCalendarDate(value) ? { ok: true, value } : { ok: false, error: 'Not a valid date (YYYY-MM-DD).' };
    case 'boolean':
      if (TRUE_WORDS.has(value)) return { ok: true, value: true };
      if (FALSE_WORDS.has(value)) return { ok: true, value: false };
      return { ok: false, error: 'Not a valid boolean.' };
    case 'choice':
      return rule.choices.includes(value) ? { ok: true, value } : { ok: false, error: 'Not a valid choice.' };
    case 'user':
      return store.users.has(value) ? { ok: true, value } : { ok: false, error: 'Not a valid user.' };
  }
}

function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function nonEmpty(value: string | null | undefined): boolean {
  return typeof value === 'string' && value !== '';
}

// ---------------------------------------------------------------------------------------------------------------
// Answers

/** The query for GET, the form body otherwise: what both signature schemes cover. */
function signedParams(req: SimRequest): Array<[string, string]> {
  const source = req.method === 'GET' ? req.query : new URLSearchParams(req.rawBody.toString('utf8'));
  return [...source];
}

function errorResponse(status: number, body: CareHqErrorBody): SimResponse {
  return { status, body };
}

function unauthorized(hint: string): SimResponse {
  return errorResponse(401, { error_type: 'unauthorized', hint });
}

function rateLimited(): SimResponse {
  return errorResponse(429, {
    error_type: 'rate_limit_exceeded',
    hint: 'Too many requests for this API key; wait until X-CareHQ-RateLimit-Reset.',
  });
}

function notFound(hint: string): SimResponse {
  return errorResponse(404, { error_type: 'not_found', hint });
}

function invalid(argErrors: Record<string, string[]>): SimResponse {
  return errorResponse(400, {
    error_type: 'invalid_request',
    hint: 'One or more arguments are not valid; see arg_errors.',
    arg_errors: argErrors,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Options

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
