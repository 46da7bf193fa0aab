import { GENERIC_LIST_LIMITS } from "./wire.js";
export const GENERIC_MAX_LIMIT = GENERIC_LIST_LIMITS.maxLimit;
export function pageParams(index, limit = GENERIC_MAX_LIMIT) {
    return { page: index + 1, limit };
}
export function toNativePage(page, map) {
    const total = page.meta?.totalItems;
    return typeof total === 'number' ? { items: page.data.map(map), total } : { items: page.data.map(map) };
}
//# sourceMappingURL=pagination.js.map