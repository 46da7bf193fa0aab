/**
 * One Relay connection over several vendors' lists, merged in a single order (a k-way merge).
 *
 * Each vendor's list must already be sorted by the same comparator. The cursor records how far into each
 * vendor's list the merge has consumed (`p`, raw offsets) and which vendor the edge came from (`v`), so the
 * next page starts exactly there: no vendor page before it is read again, and nothing is skipped or repeated
 * whatever the page size. Records a filter rejects are consumed too, so positions stay honest.
 */
import type { ConnectionModel, PagedSource } from '../domain/paging.ts';
import { lazyEdge, lazyPageInfo, pageArgs, readOnce, readRange, totalOf, type ConnectionArgs, type CursorCodec } from './connection.ts';
import { badInput } from './errors.ts';

export interface MergeStream<T> {
  readonly key: string;
  readonly source: PagedSource<T>;
}

type Positions = Record<string, number>;

interface Position {
  readonly p: Positions;
  readonly v: string;
}

function decodePosition(codec: CursorCodec, cursor: string, scope: string, argument: string, keys: readonly string[]): Position {
  const raw = codec.decode(cursor, scope, argument) as Partial<Position> | null;
  const valid =
    raw &&
    typeof raw.v === 'string' &&
    keys.includes(raw.v) &&
    raw.p &&
    keys.every((k) => Number.isInteger(raw.p?.[k]) && (raw.p?.[k] ?? -1) >= 0);
  if (!valid) throw badInput(`invalid cursor in "${argument}": no position`, { argument });
  return raw as Position;
}

/** A forward or backward reader over one vendor's list, in chunks of `chunk`. */
class Reader<T> {
  private buffer: T[] = [];
  private done = false;

  constructor(
    private readonly source: PagedSource<T>,
    /** Forward: next raw offset to read. Backward: the raw offset just past the next record to read. */
    public position: number,
    private readonly direction: 'forward' | 'backward',
    private readonly chunk: number,
  ) {
    if (direction === 'backward' && position <= 0) this.done = true;
  }

  async peek(): Promise<T | undefined> {
    if (this.buffer.length === 0 && !this.done) await this.fill();
    return this.direction === 'forward' ? this.buffer[0] : this.buffer[this.buffer.length - 1];
  }

  take(): void {
    if (this.direction === 'forward') {
      this.buffer.shift();
      this.position += 1;
    } else {
      this.buffer.pop();
      this.position -= 1;
    }
  }

  private async fill(): Promise<void> {
    const start = this.direction === 'forward' ? this.position + this.buffer.length : Math.max(0, this.position - this.chunk);
    const end = this.direction === 'forward' ? start + this.chunk : this.position;
    const { items } = await readRange(this.source, start, end);
    this.buffer = items;
    if (this.direction === 'forward' && items.length < this.chunk) this.done = true;
    if (this.direction === 'backward' && start === 0) this.done = true;
  }
}

export interface MergeOptions<T> {
  readonly compare: (a: T, b: T) => number;
  readonly accept?: (item: T) => boolean;
}

export async function mergedConnection<T>(
  streams: ReadonlyArray<MergeStream<T>>,
  args: ConnectionArgs,
  codec: CursorCodec,
  scope: string,
  options: MergeOptions<T>,
): Promise<ConnectionModel<T>> {
  const { direction, size } = pageArgs(args);
  const keys = streams.map((s) => s.key);
  const sources: Record<string, PagedSource<T>> = Object.fromEntries(streams.map((s) => [s.key, readOnce(s.source)]));
  const after = args.after ? decodePosition(codec, args.after, scope, 'after', keys) : undefined;
  const before = args.before ? decodePosition(codec, args.before, scope, 'before', keys) : undefined;
  const accept = options.accept ?? (() => true);
  const chunk = Math.min(size + 1, 100);

  // `before` points at an edge: the merge ends just before that edge's record.
  const endOf = (key: string): number | undefined =>
    before ? (before.p[key] ?? 0) - (before.v === key ? 1 : 0) : undefined;

  let start: Positions;
  if (direction === 'forward') {
    start = Object.fromEntries(keys.map((k) => [k, after?.p[k] ?? 0]));
  } else {
    const ends = await Promise.all(streams.map(async (s) => endOf(s.key) ?? (await totalOf(sources[s.key] ?? s.source))));
    start = Object.fromEntries(keys.map((k, i) => [k, ends[i] ?? 0]));
  }
  const readers = streams.map((s) => new Reader(sources[s.key] ?? s.source, start[s.key] ?? 0, direction, chunk));
  const picked: Array<{ node: T; position: Position }> = [];
  const sign = direction === 'forward' ? 1 : -1;

  while (picked.length <= size) {
    const heads = await Promise.all(readers.map((r) => r.peek()));
    let best = -1;
    heads.forEach((head, i) => {
      if (head === undefined) return;
      // Forward stops at `before`; backward stops at `after`.
      const reader = readers[i];
      const key = keys[i] ?? '';
      if (direction === 'forward' && before && reader && reader.position >= (endOf(key) ?? Infinity)) return;
      if (direction === 'backward' && after && reader && reader.position <= (after.p[key] ?? 0)) return;
      const current = best >= 0 ? heads[best] : undefined;
      if (current === undefined || sign * options.compare(head, current) < 0) best = i;
    });
    if (best < 0) break;
    const reader = readers[best];
    const node = heads[best];
    if (!reader || node === undefined) break;
    reader.take();
    if (!accept(node)) continue;
    const p = Object.fromEntries(keys.map((k, i) => [k, readers[i]?.position ?? 0]));
    // Backward readers stand before the record; the cursor names the position just after it.
    if (direction === 'backward') p[keys[best] ?? ''] = (p[keys[best] ?? ''] ?? 0) + 1;
    picked.push({ node, position: { p, v: keys[best] ?? '' } });
  }

  const more = picked.length > size;
  const edges = picked.slice(0, size);
  // A backward walk records, for each edge, every vendor's count of records sorting up to that edge: the
  // same vector a forward walk records, so cursors mean one thing whichever way a page was read.
  if (direction === 'backward') edges.reverse();
  const lazy = edges.map(({ node, position }) => lazyEdge(node, () => codec.encode(scope, position)));
  return {
    edges: lazy,
    pageInfo: lazyPageInfo(
      lazy,
      direction === 'forward' ? more : before !== undefined,
      direction === 'forward' ? keys.some((k) => (start[k] ?? 0) > 0) : more,
    ),
    totalCount: () => countAll(streams.map((s) => sources[s.key] ?? s.source), options.accept),
  };
}

/** The sum of the vendors' totals; with a filter, every record must be read to count the matches. */
async function countAll<T>(streams: ReadonlyArray<PagedSource<T>>, accept: ((item: T) => boolean) | undefined): Promise<number> {
  const counts = await Promise.all(
    streams.map(async (source) => {
      const total = await totalOf(source);
      if (accept === undefined) return total;
      const { items } = await readRange(source, 0, total);
      return items.filter(accept).length;
    }),
  );
  return counts.reduce((sum, n) => sum + n, 0);
}
