import type { EnquiryConnectionResolvers } from '../__generated__/resolvers-types.ts';

export const EnquiryConnection: EnquiryConnectionResolvers = {
  edges: (connection) => [...connection.edges],
  nodes: (connection) => connection.edges.map((edge) => edge.node),
  pageInfo: (connection) => connection.pageInfo,
  // Only computed when selected: for vendors without totals it costs calls.
  totalCount: (connection) => connection.totalCount(),
};
