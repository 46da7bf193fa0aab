export async function countByProbing(page, pageSize) {
    const first = await page(0);
    if (first.items.length < pageSize)
        return first.items.length;
    // Invariant: page `full` is known full; page `beyond` is known short or empty (or not yet found).
    let full = 0;
    let beyond;
    let beyondLength = 0;
    for (let probe = 1; beyond === undefined; probe *= 2) {
        const length = (await page(probe)).items.length;
        if (length === pageSize)
            full = probe;
        else {
            beyond = probe;
            beyondLength = length;
        }
    }
    while (beyond - full > 1) {
        const middle = Math.floor((full + beyond) / 2);
        const length = (await page(middle)).items.length;
        if (length === pageSize)
            full = middle;
        else {
            beyond = middle;
            beyondLength = length;
        }
    }
    // Now beyond = full + 1: every page before it is full.
    return beyond * pageSize + beyondLength;
}
/**
 * Pages read once for as long as the returned function lives (one list read, one GraphQL request): the
 * window, the connection's total and a count's probe all start at the first page, and with the response
 * cache off or expired each would cost a call. A failed page is dropped so that a later ask tries again.
 */
export function pageOnce(read) {
    const pages = new Map();
    return (index) => {
        let page = pages.get(index);
        if (!page) {
            page = read(index);
            pages.set(index, page);
            page.catch(() => pages.delete(index));
        }
        return page;
    };
}
//# sourceMappingURL=paging.js.map