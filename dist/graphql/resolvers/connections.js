export function connectionResolvers() {
    return {
        edges: (connection) => [...connection.edges],
        nodes: (connection) => connection.edges.map((edge) => edge.node),
        pageInfo: (connection) => connection.pageInfo,
        totalCount: (connection) => connection.totalCount(),
    };
}
//# sourceMappingURL=connections.js.map