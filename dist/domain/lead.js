export {};
//# sourceMappingURL=lead.js.map