export const Node = {
    __resolveType: (node) => node.__typename,
};
//# sourceMappingURL=Node.js.map