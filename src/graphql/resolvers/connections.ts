/** The fields every connection type shares; `totalCount` only runs when selected (it may cost calls). */
import type { ConnectionModel } from '../../domain/paging.ts';

export function connectionResolvers<T>() {
  return {
    edges: (connection: ConnectionModel<T>) => [...connection.edges],
    nodes: (connection: ConnectionModel<T>) => connection.edges.map((edge) => edge.node),
    pageInfo: (connection: ConnectionModel<T>) => connection.pageInfo,
    totalCount: (connection: ConnectionModel<T>) => connection.totalCount(),
  };
}
