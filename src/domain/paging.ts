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
