export {};
//# sourceMappingURL=connections.js.map