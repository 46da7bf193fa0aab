import { readOnce, readRange, totalOf } from "./connection.js";
export function sortedSource(vendorSource, compare) {
    // The total and the full read both start at page 0: read each page once.
    const source = readOnce(vendorSource);
    let all;
    const load = () => (all ??= totalOf(source)
        .then((total) => readRange(source, 0, total))
        .then(({ items }) => [...items].sort(compare)));
    return {
        pageSize: source.pageSize,
        page: async (index) => {
            const items = await load();
            return { items: items.slice(index * source.pageSize, (index + 1) * source.pageSize), total: items.length };
        },
        count: async () => (await load()).length,
    };
}
//# sourceMappingURL=sorted-source.js.map