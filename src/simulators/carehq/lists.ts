/**
 * CareHQ's lists and single records: `page`/`per_page` paging, `sort_by` in Mongo's order, `filters-<name>`
 * arguments and `attributes` projection, each refused with `arg_errors` when malformed.
 */
import { FUNDING_TYPES, type CareHqEnquiry, type CareHqPage, type CareHqUser } from '../../vendors/carehq/wire.ts';
import { multiMap, type SimHandler } from '../http.ts';
import { invalid, notFound, type Parsed } from './answers.ts';

const MAX_PER_PAGE = 100;
const DEFAULT_PER_PAGE = 10;

export interface ListSpec<T> {
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

interface Searchable {
  readonly first_name: string | null;
  readonly last_name: string | null;
  readonly email: string | null;
  readonly mobile: string | null;
  readonly phone?: string | null;
}

interface Haystack {
  /** The fields it was made from, to notice a record changed in place (tests do that). */
  readonly from: ReadonlyArray<string | null | undefined>;
  readonly values: readonly string[];
  /** The same without whitespace, so that "07700 900" finds "07700900". */
  readonly squashed: readonly string[];
}

/**
 * Each record's searchable text, lowercased once per record rather than on every search: a search reads every
 * record, and under the bench's load this was most of what the simulator did (its CPU is the gateway's too).
 */
const haystacks = new WeakMap<Searchable, Haystack>();

function haystackOf(record: Searchable): Haystack {
  const from = [record.first_name, record.last_name, record.email, record.mobile, record.phone];
  const known = haystacks.get(record);
  if (known && known.from.every((value, i) => value === from[i])) return known;
  const values = from.filter((v): v is string => typeof v === 'string').map((v) => v.toLowerCase());
  const made = { from, values, squashed: values.map((v) => v.replace(/\s+/g, '')) };
  haystacks.set(record, made);
  return made;
}

const searchFilter = (values: readonly string[]) => {
  const terms = values.join(' ').toLowerCase().split(/\s+/).filter(Boolean);
  return (record: Searchable) => {
    const haystack = haystackOf(record);
    return terms.every((term) => haystack.values.some((v) => v.includes(term)) || haystack.squashed.some((v) => v.includes(term)));
  };
};

export const ENQUIRY_LIST: ListSpec<CareHqEnquiry> = {
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
    location: (values) => {
      const wanted = new Set(values);
      return (record) => record.location !== null && wanted.has(record.location);
    },
    created_from: (values) => instantFilter(values, (created, bound) => created >= bound),
    created_to: (values) => instantFilter(values, (created, bound) => created <= bound),
  },
};

/** One ISO 8601 instant compared with `created`; anything else is refused as the vendor refuses a bad value. */
function instantFilter(values: readonly string[], keep: (created: number, bound: number) => boolean) {
  const bound = values.length === 1 && /^\d{4}-\d{2}-\d{2}T/.test(values[0] ?? '') ? Date.parse(values[0] ?? '') : Number.NaN;
  if (Number.isNaN(bound)) return 'Not a valid date-time.';
  return (record: CareHqEnquiry) => keep(Date.parse(record.created), bound);
}

export const USER_LIST: ListSpec<CareHqUser> = {
  fields: new Set(USER_FIELDS),
  noun: 'user',
  filters: { q: searchFilter, ids: idsFilter },
};

/** The same list without one of its filters: asked for, it is then an unknown argument. */
export function withoutFilter<T>(spec: ListSpec<T>, name: string): ListSpec<T> {
  return { ...spec, filters: Object.fromEntries(Object.entries(spec.filters).filter(([key]) => key !== name)) };
}

interface ListQuery<T> {
  readonly page: number;
  readonly perPage: number;
  readonly sortField: string;
  readonly descending: boolean;
  readonly attributes: readonly string[] | undefined;
  readonly predicates: ReadonlyArray<(record: T) => boolean>;
}

export function listHandler<T extends { _id: string }>(records: Map<string, T>, spec: ListSpec<T>): SimHandler {
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

export function getHandler<T extends { _id: string }>(records: Map<string, T>, spec: ListSpec<T>): SimHandler {
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
  // The common case (every sort breaks ties by `_id`), without the ranking below.
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
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
