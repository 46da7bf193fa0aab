export {};
//# sourceMappingURL=enquiry.js.map