/**
 * Relay connections over vendors' native pages.
 *
 * Cursors are opaque, versioned and signed: `c1.<base64url JSON>.<mac>`. The JSON holds the scope (which list
 * and filter the cursor belongs to) and a position; the MAC makes any edit a BAD_USER_INPUT rather than a
 * silent jump to somewhere else. A cursor from one list or filter is refused by another.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { pageOnce } from "../upstream/paging.js";
import { badInput } from "./errors.js";
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
const PREFIX = 'c1';
export class CursorCodec {
    key;
    /** `secret` signs cursors; give every replica the same one so cursors survive a hop between them. */
    constructor(secret = randomBytes(32).toString('hex')) {
        if (secret.length < 16)
            throw new Error(`expected a cursor secret of at least 16 characters, got ${secret.length}`);
        this.key = Buffer.from(secret, 'utf8');
    }
    encode(scope, position) {
        const payload = Buffer.from(JSON.stringify({ s: scope, p: position }), 'utf8').toString('base64url');
        return `${PREFIX}.${payload}.${this.mac(payload)}`;
    }
    /** The position stored in `cursor`, or a BAD_USER_INPUT error naming `argument`. */
    decode(cursor, scope, argument) {
        const invalid = (why) => badInput(`invalid cursor in "${argument}": ${why}`, { argument });
        const [prefix, payload, mac, ...rest] = cursor.split('.');
        if (prefix !== PREFIX || !payload || !mac || rest.length > 0)
            throw invalid('not a cursor this API issued');
        const expected = Buffer.from(this.mac(payload));
        const given = Buffer.from(mac);
        if (expected.length !== given.length || !timingSafeEqual(expected, given))
            throw invalid('it has been altered');
        let parsed;
        try {
            parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
        }
        catch {
            throw invalid('unreadable');
        }
        const body = parsed;
        if (body.s !== scope)
            throw invalid('it belongs to a different list or filter');
        return body.p;
    }
    mac(payload) {
        return createHmac('sha256', this.key).update(payload).digest('base64url').slice(0, 22);
    }
}
/** A short stable name for a list and its filter, so a cursor cannot be replayed against another. */
export function scopeOf(list, filter) {
    const canonical = JSON.stringify(filter ?? null, (_key, value) => value && typeof value === 'object' && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)))
        : value);
    return `${list}:${createHash('sha256').update(canonical).digest('base64url').slice(0, 12)}`;
}
/** Checks Relay arguments: sizes 0..100, not both `first` and `last`. */
export function pageArgs(args) {
    const check = (name, value) => {
        if (value === null || value === undefined)
            return;
        if (!Number.isInteger(value) || value < 0 || value > MAX_PAGE_SIZE) {
            throw badInput(`"${name}" must be between 0 and ${MAX_PAGE_SIZE}, got ${value}`, { argument: name });
        }
    };
    check('first', args.first);
    check('last', args.last);
    const hasFirst = args.first !== null && args.first !== undefined;
    const hasLast = args.last !== null && args.last !== undefined;
    if (hasFirst && hasLast)
        throw badInput('give "first" or "last", not both', { argument: 'last' });
    if (hasLast)
        return { direction: 'backward', size: args.last ?? DEFAULT_PAGE_SIZE };
    return { direction: 'forward', size: args.first ?? DEFAULT_PAGE_SIZE };
}
function offsetOf(codec, cursor, scope, argument) {
    const position = codec.decode(cursor, scope, argument);
    const offset = position?.o;
    if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0) {
        throw badInput(`invalid cursor in "${argument}": no position`, { argument });
    }
    return offset;
}
/** Records [start, end) of a source, fetching only the native pages that cover them, in parallel. */
export async function readRange(source, start, end) {
    if (end <= start) {
        const first = await source.page(Math.floor(start / source.pageSize));
        return { items: [], total: first.total };
    }
    const size = source.pageSize;
    const firstPage = Math.floor(start / size);
    const lastPage = Math.floor((end - 1) / size);
    const pages = await Promise.all(Array.from({ length: lastPage - firstPage + 1 }, (_, i) => source.page(firstPage + i)));
    const items = [];
    let total;
    for (const [i, page] of pages.entries()) {
        total ??= page.total;
        const pageStart = (firstPage + i) * size;
        page.items.forEach((item, j) => {
            const index = pageStart + j;
            if (index >= start && index < end)
                items.push(item);
        });
        if (page.items.length < size)
            break; // a short page is the last one
    }
    return { items, total };
}
/**
 * A Relay connection over any numbered-page source. A forward page reads one record past the window to
 * learn whether there is a next page; a backward page without `before` needs the total first.
 */
export async function offsetConnection(vendorSource, args, codec, scope) {
    const { direction, size } = pageArgs(args);
    const source = readOnce(vendorSource);
    const after = args.after ? offsetOf(codec, args.after, scope, 'after') : undefined;
    const before = args.before ? offsetOf(codec, args.before, scope, 'before') : undefined;
    const lowest = after === undefined ? 0 : after + 1;
    let knownTotal;
    let start;
    let items;
    let hasNextPage;
    let hasPreviousPage;
    if (direction === 'forward') {
        start = lowest;
        const limit = before === undefined ? start + size + 1 : Math.min(start + size + 1, before);
        const range = await readRange(source, start, limit);
        knownTotal = range.total;
        items = range.items.slice(0, size);
        hasNextPage = range.items.length > size || (before !== undefined && start + size < before);
        hasPreviousPage = start > 0;
    }
    else {
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
    const edges = items.map((node, i) => ({ cursor: codec.encode(scope, { o: start + i }), node }));
    let total;
    return {
        edges,
        pageInfo: {
            hasNextPage,
            hasPreviousPage,
            startCursor: edges[0]?.cursor ?? null,
            endCursor: edges[edges.length - 1]?.cursor ?? null,
        },
        totalCount: () => (total ??= knownTotal !== undefined ? Promise.resolve(knownTotal) : totalOf(source)),
    };
}
/** The same source, each of its pages read at most once (the window and the total often share page 0). */
export function readOnce(source) {
    return { ...source, page: pageOnce((index) => source.page(index)) };
}
/** The vendor's total when its pages carry one, else the source's own count. */
export async function totalOf(source) {
    const first = await source.page(0);
    if (first.total !== undefined)
        return first.total;
    if (first.items.length < source.pageSize)
        return first.items.length;
    if (!source.count)
        throw new Error('this list cannot be counted');
    return source.count();
}
//# sourceMappingURL=connection.js.map