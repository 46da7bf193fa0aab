import { pageArgs, readOnce, readRange, totalOf } from "./connection.js";
import { badInput } from "./errors.js";
function decodePosition(codec, cursor, scope, argument, keys) {
    const raw = codec.decode(cursor, scope, argument);
    const valid = raw &&
        typeof raw.v === 'string' &&
        keys.includes(raw.v) &&
        raw.p &&
        keys.every((k) => Number.isInteger(raw.p?.[k]) && (raw.p?.[k] ?? -1) >= 0);
    if (!valid)
        throw badInput(`invalid cursor in "${argument}": no position`, { argument });
    return raw;
}
/** A forward or backward reader over one vendor's list, in chunks of `chunk`. */
class Reader {
    source;
    position;
    direction;
    chunk;
    buffer = [];
    done = false;
    constructor(source, 
    /** Forward: next raw offset to read. Backward: the raw offset just past the next record to read. */
    position, direction, chunk) {
        this.source = source;
        this.position = position;
        this.direction = direction;
        this.chunk = chunk;
        if (direction === 'backward' && position <= 0)
            this.done = true;
    }
    async peek() {
        if (this.buffer.length === 0 && !this.done)
            await this.fill();
        return this.direction === 'forward' ? this.buffer[0] : this.buffer[this.buffer.length - 1];
    }
    take() {
        if (this.direction === 'forward') {
            this.buffer.shift();
            this.position += 1;
        }
        else {
            this.buffer.pop();
            this.position -= 1;
        }
    }
    async fill() {
        const start = this.direction === 'forward' ? this.position + this.buffer.length : Math.max(0, this.position - this.chunk);
        const end = this.direction === 'forward' ? start + this.chunk : this.position;
        const { items } = await readRange(this.source, start, end);
        this.buffer = items;
        if (this.direction === 'forward' && items.length < this.chunk)
            this.done = true;
        if (this.direction === 'backward' && start === 0)
            this.done = true;
    }
}
export async function mergedConnection(streams, args, codec, scope, options) {
    const { direction, size } = pageArgs(args);
    const keys = streams.map((s) => s.key);
    const sources = Object.fromEntries(streams.map((s) => [s.key, readOnce(s.source)]));
    const after = args.after ? decodePosition(codec, args.after, scope, 'after', keys) : undefined;
    const before = args.before ? decodePosition(codec, args.before, scope, 'before', keys) : undefined;
    const accept = options.accept ?? (() => true);
    const chunk = Math.min(size + 1, 100);
    // `before` points at an edge: the merge ends just before that edge's record.
    const endOf = (key) => before ? (before.p[key] ?? 0) - (before.v === key ? 1 : 0) : undefined;
    let start;
    if (direction === 'forward') {
        start = Object.fromEntries(keys.map((k) => [k, after?.p[k] ?? 0]));
    }
    else {
        const ends = await Promise.all(streams.map(async (s) => endOf(s.key) ?? (await totalOf(sources[s.key] ?? s.source))));
        start = Object.fromEntries(keys.map((k, i) => [k, ends[i] ?? 0]));
    }
    const readers = streams.map((s) => new Reader(sources[s.key] ?? s.source, start[s.key] ?? 0, direction, chunk));
    const picked = [];
    const sign = direction === 'forward' ? 1 : -1;
    while (picked.length <= size) {
        const heads = await Promise.all(readers.map((r) => r.peek()));
        let best = -1;
        heads.forEach((head, i) => {
            if (head === undefined)
                return;
            // Forward stops at `before`; backward stops at `after`.
            const reader = readers[i];
            const key = keys[i] ?? '';
            if (direction === 'forward' && before && reader && reader.position >= (endOf(key) ?? Infinity))
                return;
            if (direction === 'backward' && after && reader && reader.position <= (after.p[key] ?? 0))
                return;
            const current = best >= 0 ? heads[best] : undefined;
            if (current === undefined || sign * options.compare(head, current) < 0)
                best = i;
        });
        if (best < 0)
            break;
        const reader = readers[best];
        const node = heads[best];
        if (!reader || node === undefined)
            break;
        reader.take();
        if (!accept(node))
            continue;
        const p = Object.fromEntries(keys.map((k, i) => [k, readers[i]?.position ?? 0]));
        // Backward readers stand before the record; the cursor names the position just after it.
        if (direction === 'backward')
            p[keys[best] ?? ''] = (p[keys[best] ?? ''] ?? 0) + 1;
        picked.push({ node, position: { p, v: keys[best] ?? '' } });
    }
    const more = picked.length > size;
    const edges = picked.slice(0, size);
    // A backward walk records, for each edge, every vendor's count of records sorting up to that edge: the
    // same vector a forward walk records, so cursors mean one thing whichever way a page was read.
    if (direction === 'backward')
        edges.reverse();
    return {
        edges: edges.map(({ node, position }) => ({ cursor: codec.encode(scope, position), node })),
        pageInfo: {
            hasNextPage: direction === 'forward' ? more : before !== undefined,
            hasPreviousPage: direction === 'forward' ? keys.some((k) => (start[k] ?? 0) > 0) : more,
            startCursor: edges[0] ? codec.encode(scope, edges[0].position) : null,
            endCursor: edges.length > 0 ? codec.encode(scope, edges[edges.length - 1]?.position) : null,
        },
        totalCount: () => countAll(streams.map((s) => sources[s.key] ?? s.source), options.accept),
    };
}
/** The sum of the vendors' totals; with a filter, every record must be read to count the matches. */
async function countAll(streams, accept) {
    const counts = await Promise.all(streams.map(async (source) => {
        const total = await totalOf(source);
        if (accept === undefined)
            return total;
        const { items } = await readRange(source, 0, total);
        return items.filter(accept).length;
    }));
    return counts.reduce((sum, n) => sum + n, 0);
}
//# sourceMappingURL=merged-connection.js.map