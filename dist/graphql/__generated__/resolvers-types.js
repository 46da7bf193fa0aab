export {};
//# sourceMappingURL=resolvers-types.js.map