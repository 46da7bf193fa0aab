export {};
//# sourceMappingURL=vendors.js.map