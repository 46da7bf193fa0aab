export const CAREHQ_MAX_PER_PAGE = 100;
export function pageParams(index, perPage = CAREHQ_MAX_PER_PAGE) {
    return { page: index + 1, per_page: perPage };
}
export function toNativePage(page, map) {
    return { items: page.items.map(map), total: page.total_items };
}
//# sourceMappingURL=pagination.js.map