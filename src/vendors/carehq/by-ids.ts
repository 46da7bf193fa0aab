/**
 * Many CareHQ records by id in one list call: `filters-ids` repeated once per id, up to a page of 100. That
 * filter is our extension (vendors.md names `filters-<name>` but no `ids`), so a real account may lack it:
 * CareHQ then refuses the unknown argument with a 400, or a server that skips unknown filters answers the plain
 * list. Either way the ids the answer did not settle are fetched one by one, and the source remembers not to
 * try the filter on that list again.
 */
import { isProblem } from '../../upstream/errors.ts';
import { CAREHQ_OBJECT_ID } from './ids.ts';
import { CAREHQ_MAX_PER_PAGE } from './pagination.ts';
import type { CareHqPage } from './wire.ts';

export interface ByIdsReader<W> {
  /** One list page filtered by `ids` (at most a page's worth). */
  readonly list: (ids: readonly string[]) => Promise<CareHqPage<W>>;
  /** One record by id; null when CareHQ has none. */
  readonly one: (id: string) => Promise<W | null>;
}

/** One per list and source: it holds what CareHQ showed about the filter for as long as the process runs. */
export class CareHqByIds<W extends { _id: string }> {
  /** Set once CareHQ showed it does not filter this list by id: every later batch goes one id at a time. */
  private filterUnsupported = false;

  constructor(
    /** Ids per list call, at most CareHQ's largest page. */
    private readonly batchSize: number = CAREHQ_MAX_PER_PAGE,
  ) {
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > CAREHQ_MAX_PER_PAGE) {
      throw new Error(`expected a batch size from 1 to ${CAREHQ_MAX_PER_PAGE}, got ${String(batchSize)}`);
    }
  }

  /**
   * The records for `ids` in key order: null for an id CareHQ does not hold (or that cannot be a CareHQ id),
   * an Error for one whose lookup failed. Batches above one page go out together; the upstream queue keeps
   * them within the rate budget.
   */
  async load(ids: readonly string[], reader: ByIdsReader<W>): Promise<Array<W | null | Error>> {
    const wanted = [...new Set(ids.filter((id) => CAREHQ_OBJECT_ID.test(id)))];
    const settled = new Map<string, W | null | Error>();
    const chunks: string[][] = [];
    for (let start = 0; start < wanted.length; start += this.batchSize) chunks.push(wanted.slice(start, start + this.batchSize));
    await Promise.all(chunks.map((chunk) => this.loadChunk(chunk, reader, settled)));
    return ids.map((id) => settled.get(id) ?? null);
  }

  private async loadChunk(chunk: readonly string[], reader: ByIdsReader<W>, settled: Map<string, W | null | Error>): Promise<void> {
    let unsettled: readonly string[] = chunk;
    if (!this.filterUnsupported && chunk.length > 1) {
      try {
        const page = await reader.list(chunk);
        const asked = new Set(chunk);
        for (const record of page.items) if (asked.has(record._id)) settled.set(record._id, record);
        // The filter was applied when nothing else came back and the total fits the ask; then an id missing
        // from the answer has no record. Otherwise the list was not filtered, and the rest go one by one.
        const filtered = page.total_items <= chunk.length && page.items.every((record) => asked.has(record._id));
        if (filtered) {
          for (const id of chunk) if (!settled.has(id)) settled.set(id, null);
          return;
        }
        this.filterUnsupported = true;
        unsettled = chunk.filter((id) => !settled.has(id));
      } catch (error) {
        if (!isProblem(error, 'bad_request')) {
          for (const id of chunk) settled.set(id, error as Error);
          return;
        }
        this.filterUnsupported = true;
      }
    }
    await Promise.all(
      unsettled.map(async (id) => {
        settled.set(id, await reader.one(id).catch((error: Error) => error));
      }),
    );
  }
}
