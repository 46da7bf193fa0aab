/**
 * Many CareHQ records by id in one list call: `filters-ids` repeated once per id, up to a page of 100. That
 * filter is our extension (vendors.md names `filters-<name>` but no `ids`), so a real account may lack it:
 * CareHQ then refuses the unknown argument with a 400, or a server that skips unknown filters answers the plain
 * list. Either way the ids the answer did not settle are fetched by the documented calls (one by one, or the
 * list's own cheaper way when it has one), and the verdict goes to the capability memory
 * (upstream/capabilities.ts: per process, and in Redis when shared), so that no replica tries the filter on
 * that list again.
 */
import { refusedExtension, type Support } from '../../upstream/capabilities.ts';
import { CAREHQ_OBJECT_ID } from './ids.ts';
import { CAREHQ_MAX_PER_PAGE } from './pagination.ts';
import type { CareHqPage } from './wire.ts';

export interface ByIdsReader<W> {
  /** One list page filtered by `ids` (at most a page's worth). */
  readonly list: (ids: readonly string[]) => Promise<CareHqPage<W>>;
  /** One record by id; null when CareHQ has none. */
  readonly one: (id: string) => Promise<W | null>;
  /**
   * Several records by id without the filter, for a list where that may cost fewer calls than a GET each (a
   * walk of the list, id-scan.ts): every id answered, null when CareHQ has none. Asked only once the filter is
   * known unsupported and more than one id is left; without it they go to `one`.
   */
  readonly many?: (ids: readonly string[]) => Promise<ReadonlyMap<string, W | null | Error>>;
}

/** What is known of the filter on one list: read before each load, told each verdict. */
export interface FilterMemory {
  readonly support: () => Promise<Support | undefined>;
  readonly remember: (support: Support) => Promise<void>;
}

/** One per list and source. */
export class CareHqByIds<W extends { _id: string }> {
  constructor(
    /** Ids per list call, at most CareHQ's largest page. */
    private readonly batchSize: number,
    private readonly memory: FilterMemory,
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
    // Until the filter has shown it works, the first batch goes alone to find out; the rest then go together.
    let support = await this.memory.support();
    if (support === undefined && chunks.length > 1) support = await this.listChunk(chunks.shift() ?? [], reader, settled, support);
    const verdicts = await Promise.all(chunks.map((chunk) => this.listChunk(chunk, reader, settled, support)));
    if (verdicts.includes('unsupported')) support = 'unsupported';
    // What the batches left is looked up once, together, so that a walk of the list covers all of it.
    await this.fetchRest(wanted.filter((id) => !settled.has(id)), reader, settled, support);
    return ids.map((id) => settled.get(id) ?? null);
  }

  /**
   * Settles what one batch's filtered answer shows, leaving the rest unsettled; answers what it showed of the
   * filter (unchanged when it showed nothing). A single id is left to `one`: one call either way.
   */
  private async listChunk(
    chunk: readonly string[],
    reader: ByIdsReader<W>,
    settled: Map<string, W | null | Error>,
    known: Support | undefined,
  ): Promise<Support | undefined> {
    if (known === 'unsupported' || chunk.length < 2) return known;
    try {
      const page = await reader.list(chunk);
      const asked = new Set(chunk);
      for (const record of page.items) if (asked.has(record._id)) settled.set(record._id, record);
      // The filter was applied when nothing else came back and the total fits the ask; then an id missing
      // from the answer has no record. Otherwise the list was not filtered, and the rest are looked up.
      const filtered = page.total_items <= chunk.length && page.items.every((record) => asked.has(record._id));
      if (filtered) {
        for (const id of chunk) if (!settled.has(id)) settled.set(id, null);
        if (known === undefined) await this.memory.remember('supported');
        return 'supported';
      }
    } catch (error) {
      if (!refusedExtension(error)) {
        for (const id of chunk) settled.set(id, error as Error);
        return known;
      }
    }
    await this.memory.remember('unsupported');
    return 'unsupported';
  }

  private async fetchRest(
    rest: readonly string[],
    reader: ByIdsReader<W>,
    settled: Map<string, W | null | Error>,
    support: Support | undefined,
  ): Promise<void> {
    if (reader.many && support === 'unsupported' && rest.length > 1) {
      const found = await reader.many(rest).catch((error: Error) => new Map(rest.map((id) => [id, error])));
      for (const id of rest) settled.set(id, found.get(id) ?? null);
      return;
    }
    await Promise.all(
      rest.map(async (id) => {
        settled.set(id, await reader.one(id).catch((error: Error) => error));
      }),
    );
  }
}
