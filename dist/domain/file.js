export {};
//# sourceMappingURL=file.js.map