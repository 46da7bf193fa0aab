/**
 * The vendor-neutral view of native pagination. Every vendor here pages by number; each exposes its lists as
 * a `PagedSource` and the GraphQL layer turns any window of a Relay connection into the few native pages
 * that cover it.
 */

export interface NativePage<T> {
  readonly items: readonly T[];
  /** The vendor's total, when it reports one with every page. */
  readonly total?: number;
}

export interface PagedSource<T> {
  /** Records per native page, as the source requests them (the vendor's maximum, to save calls). */
  readonly pageSize: number;
  /** Page `index`, counted from 0 whatever the vendor's own numbering. */
  page(index: number): Promise<NativePage<T>>;
  /** Counts every record; only called when a total is asked for and no page has reported one. */
  count?(): Promise<number>;
  /**
   * The same list read `size` records (1..pageSize) per native page. Offered only by sources whose pages are
   * not cached and carry the vendor's total: there, records past the window are fetched, parsed and dropped,
   * so a window read as one page of its own size costs the vendor and the gateway least, and the total still
   * answers hasNextPage. Where pages are cached, full pages are worth their records (the next window is
   * served from them), so a cached source does not offer it.
   */
  withPageSize?(size: number): PagedSource<T>;
}

/** A Relay connection, ready for resolvers; `totalCount` is only computed when selected. */
export interface ConnectionModel<T> {
  readonly edges: ReadonlyArray<{ readonly cursor: string; readonly node: T }>;
  readonly pageInfo: {
    readonly hasNextPage: boolean;
    readonly hasPreviousPage: boolean;
    readonly startCursor: string | null;
    readonly endCursor: string | null;
  };
  readonly totalCount: () => Promise<number>;
}
