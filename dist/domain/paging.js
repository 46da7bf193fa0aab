/**
 * The vendor-neutral view of native pagination. Every vendor here pages by number; each exposes its lists as
 * a `PagedSource` and the GraphQL layer turns any window of a Relay connection into the few native pages
 * that cover it.
 */
export {};
//# sourceMappingURL=paging.js.map