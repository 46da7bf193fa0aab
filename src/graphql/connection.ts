/**
 * Relay connections over vendors' native pages.
 *
 * Cursors are opaque, versioned and signed: `c1.<base64url JSON>.<mac>`. The JSON holds the scope (which list
 * and filter the cursor belongs to) and a position; the MAC makes any edit a BAD_USER_INPUT rather than a
 * silent jump to somewhere else. A cursor from one list or filter is refused by another.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ConnectionModel, NativePage, PagedSource } from '../domain/paging.ts';
import { pageOnce } from '../upstream/paging.ts';
import { badInput } from './errors.ts';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
const PREFIX = 'c1';

export interface ConnectionArgs {
  readonly first?: number | null;
  readonly after?: string | null;
  readonly last?: number | null;
  readonly before?: string | null;
}

export class CursorCodec {
  private readonly key: Buffer;

  /** `secret` signs cursors; give every replica the same one so cursors survive a hop between them. */
  constructor(secret: string = randomBytes(32).toString('hex')) {
    if (secret.length < 16) throw new Error(`expected a cursor secret of at least 16 characters, got ${secret.length}`);
    this.key = Buffer.from(secret, 'utf8');
  }

  encode(scope: string, position: unknown): string {
    const payload = Buffer.from(JSON.stringify({ s: scope, p: position }), 'utf8').toString('base64url');
    return `${PREFIX}.${payload}.${this.mac(payload)}`;
  }

  /** The position stored in `cursor`, or a BAD_USER_INPUT error naming `argument`. */
  decode(cursor: string, scope: string, argument: string): unknown {
    const invalid = (why: string) => badInput(`invalid cursor in "${argument}": ${why}`, { argument });
    const [prefix, payload, mac, ...rest] = cursor.split('.');
    if (prefix !== PREFIX || !payload || !mac || rest.length > 0) throw invalid('not a cursor this API issued');
    const expected = Buffer.from(this.mac(payload));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw invalid('it has been altered');
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw invalid('unreadable');
    }
    const body = parsed as { s?: unknown; p?: unknown };
    if (body.s !== scope) throw invalid('it belongs to a different list or filter');
    return body.p;
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url').slice(0, 22);
  }
}

/** Scopes already hashed, by list and filter as given: the same filter on every request hashes once. */
const scopes = new Map<string, string>();
const MAX_REMEMBERED_SCOPES = 1000;

/** A short stable name for a list and its filter, so a cursor cannot be replayed against another. */
export function scopeOf(list: string, filter: unknown): string {
  // Remembered under the filter as given (a plain JSON.stringify, cheap on every request): the canonical form,
  // keys sorted at every level so that the same filter always names the same scope, is made only on a miss.
  const key = `${list}\u0000${JSON.stringify(filter ?? null)}`;
  let scope = scopes.get(key);
  if (scope === undefined) {
    const canonical = JSON.stringify(filter ?? null, (_key, value: unknown) =>
      value && typeof value === 'object' && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
        : value,
    );
    scope = `${list}:${createHash('sha256').update(canonical).digest('base64url').slice(0, 12)}`;
    // Bounded: filters come from clients. Most requests repeat a few filters, so a full memo simply starts over.
    if (scopes.size >= MAX_REMEMBERED_SCOPES) scopes.clear();
    scopes.set(key, scope);
  }
  return scope;
}

export interface PageArgs {
  readonly direction: 'forward' | 'backward';
  readonly size: number;
}

/** Checks Relay arguments: sizes 0..100, not both `first` and `last`. */
export function pageArgs(args: ConnectionArgs): PageArgs {
  const check = (name: 'first' | 'last', value: number | null | undefined) => {
    if (value === null || value === undefined) return;
    if (!Number.isInteger(value) || value < 0 || value > MAX_PAGE_SIZE) {
      throw badInput(`"${name}" must be between 0 and ${MAX_PAGE_SIZE}, got ${value}`, { argument: name });
    }
  };
  check('first', args.first);
  check('last', args.last);
  const hasFirst = args.first !== null && args.first !== undefined;
  const hasLast = args.last !== null && args.last !== undefined;
  if (hasFirst && hasLast) throw badInput('give "first" or "last", not both', { argument: 'last' });
  if (hasLast) return { direction: 'backward', size: args.last ?? DEFAULT_PAGE_SIZE };
  return { direction: 'forward', size: args.first ?? DEFAULT_PAGE_SIZE };
}

function offsetOf(codec: CursorCodec, cursor: string, scope: string, argument: string): number {
  const position = codec.decode(cursor, scope, argument) as { o?: unknown } | null;
  const offset = position?.o;
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0) {
    throw badInput(`invalid cursor in "${argument}": no position`, { argument });
  }
  return offset;
}

interface Range<T> {
  readonly items: T[];
  /** The vendor's total, if any page fetched reported it. */
  readonly total: number | undefined;
  /**
   * Whether a record exists at `end` or later, as far as the pages read tell: from the total, a short page, or
   * records past `end` on the last page. Undefined when the last page read was full and ended exactly at `end`.
   */
  readonly more: boolean | undefined;
  /** The native page after the last one read. */
  readonly nextPage: number;
}

/** Records [start, end) of a source, fetching only the native pages that cover them, in parallel. */
export async function readRange<T>(source: PagedSource<T>, start: number, end: number): Promise<Range<T>> {
  const size = source.pageSize;
  if (end <= start) {
    const index = Math.floor(start / size);
    const page = await source.page(index);
    const seenTo = index * size + page.items.length;
    const more = page.total !== undefined ? start < page.total : seenTo > start ? true : page.items.length < size ? false : undefined;
    return { items: [], total: page.total, more, nextPage: index + 1 };
  }
  const firstPage = Math.floor(start / size);
  const lastPage = Math.floor((end - 1) / size);
  const pages: Array<NativePage<T>> = await Promise.all(
    Array.from({ length: lastPage - firstPage + 1 }, (_, i) => source.page(firstPage + i)),
  );
  const items: T[] = [];
  let total: number | undefined;
  let seenTo = start; // one past the last record index the pages hold
  let short = false;
  for (const [i, page] of pages.entries()) {
    total ??= page.total;
    const pageStart = (firstPage + i) * size;
    // Only the window's part of the page: with the cache on a page is 100 records and a window often 20.
    const from = Math.max(0, start - pageStart);
    const to = Math.min(page.items.length, end - pageStart);
    for (let j = from; j < to; j += 1) items.push(page.items[j] as T);
    seenTo = pageStart + page.items.length;
    if (page.items.length < size) {
      short = true; // a short page is the last one
      break;
    }
  }
  const more = total !== undefined ? end < total : seenTo > end ? true : short ? false : undefined;
  return { items, total, more, nextPage: lastPage + 1 };
}

/**
 * A Relay connection over any numbered-page source, reading one vendor call per native page it covers. A
 * forward page learns whether there is a next page from what its pages say (a total, a short page, records
 * past the window); only when the window ends exactly where a full page does, from a vendor that reports no
 * total, is the next page read too. A backward page without `before` needs the total first.
 */
export async function offsetConnection<T>(
  vendorSource: PagedSource<T>,
  args: ConnectionArgs,
  codec: CursorCodec,
  scope: string,
): Promise<ConnectionModel<T>> {
  const { direction, size } = pageArgs(args);
  const after = args.after ? offsetOf(codec, args.after, scope, 'after') : undefined;
  const before = args.before ? offsetOf(codec, args.before, scope, 'before') : undefined;
  const lowest = after === undefined ? 0 : after + 1;
  let knownTotal: number | undefined;

  let source: PagedSource<T>;
  let start: number;
  let items: T[];
  let hasNextPage: boolean;
  let hasPreviousPage: boolean;
  if (direction === 'forward') {
    start = lowest;
    const end = before === undefined ? start + size : Math.min(start + size, before);
    source = readOnce(windowSized(vendorSource, start, end));
    const range = await readRange(source, start, end);
    knownTotal = range.total;
    items = range.items;
    if (before !== undefined) hasNextPage = start + size < before;
    else hasNextPage = range.more ?? (await source.page(range.nextPage)).items.length > 0;
    hasPreviousPage = start > 0;
  } else {
    source = readOnce(vendorSource);
    let end = before;
    if (end === undefined) {
      knownTotal = await totalOf(source);
      end = knownTotal;
    }
    start = Math.max(lowest, end - size);
    const range = await readRange(source, start, end);
    knownTotal ??= range.total;
    items = range.items;
    hasPreviousPage = start > lowest || (after === undefined && start > 0);
    hasNextPage = before !== undefined;
  }

  const edges = items.map((node, i) => lazyEdge(node, () => codec.encode(scope, { o: start + i })));
  let total: Promise<number> | undefined;
  return {
    edges,
    pageInfo: lazyPageInfo(edges, hasNextPage, hasPreviousPage),
    totalCount: () => (total ??= knownTotal !== undefined ? Promise.resolve(knownTotal) : totalOf(source)),
  };
}

/**
 * An edge whose cursor is signed only when read: signing is an HMAC per edge, and most queries select nodes,
 * not cursors. Read once, it is kept. A class, so the getter lives on the prototype rather than on each edge.
 */
class LazyEdge<T> {
  private signed: string | undefined;

  constructor(
    readonly node: T,
    private readonly encode: () => string,
  ) {}

  get cursor(): string {
    return (this.signed ??= this.encode());
  }
}

export function lazyEdge<T>(node: T, encode: () => string): { readonly cursor: string; readonly node: T } {
  return new LazyEdge(node, encode);
}

/** Page info whose start and end cursors are signed only when selected. */
class LazyPageInfo {
  constructor(
    private readonly edges: ReadonlyArray<{ readonly cursor: string }>,
    readonly hasNextPage: boolean,
    readonly hasPreviousPage: boolean,
  ) {}

  get startCursor(): string | null {
    return this.edges[0]?.cursor ?? null;
  }

  get endCursor(): string | null {
    return this.edges[this.edges.length - 1]?.cursor ?? null;
  }
}

export function lazyPageInfo(edges: ReadonlyArray<{ readonly cursor: string }>, hasNextPage: boolean, hasPreviousPage: boolean): ConnectionModel<unknown>['pageInfo'] {
  return new LazyPageInfo(edges, hasNextPage, hasPreviousPage);
}

/**
 * The source read as the one native page that holds records [start, end), when it offers other page sizes
 * (PagedSource.withPageSize): the smallest size from the window's own up whose page covers the window. A
 * window of 20 from the start is then one page of 20, not the first 20 of a page of 100.
 */
export function windowSized<T>(source: PagedSource<T>, start: number, end: number): PagedSource<T> {
  if (!source.withPageSize || end <= start) return source;
  for (let size = end - start; size < source.pageSize; size += 1) {
    if (Math.floor(start / size) === Math.floor((end - 1) / size)) return source.withPageSize(size);
  }
  return source;
}

/** The same source, each of its pages read at most once (the window and the total often share page 0). */
export function readOnce<T>(source: PagedSource<T>): PagedSource<T> {
  return { ...source, page: pageOnce((index) => source.page(index)) };
}

/** The vendor's total when its pages carry one, else the source's own count. */
export async function totalOf<T>(source: PagedSource<T>): Promise<number> {
  const first = await source.page(0);
  if (first.total !== undefined) return first.total;
  if (first.items.length < source.pageSize) return first.items.length;
  if (!source.count) throw new Error('this list cannot be counted');
  return source.count();
}
