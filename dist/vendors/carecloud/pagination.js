import { CARECLOUD_MAX_PAGE_SIZE } from "./wire.js";
export { CARECLOUD_MAX_PAGE_SIZE };
export function pageParams(index, pageSize) {
    return { page: index + 1, pageSize };
}
export function toNativePage(page, map) {
    return { items: page.Items.map(map), total: page.TotalItems };
}
//# sourceMappingURL=pagination.js.map