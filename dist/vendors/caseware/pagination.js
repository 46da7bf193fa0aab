import { UpstreamError } from "../../upstream/errors.js";
import { countByProbing, pageOnce } from "../../upstream/paging.js";
import { VENDOR } from "./responses.js";
export function pageQuery(index, pageSize) {
    if (!Number.isInteger(index) || index < 0)
        throw new RangeError(`expected a page index of 0 or more, got ${index}`);
    return { page: index + 1, pageSize };
}
/** A list answer that is not an array is the vendor misbehaving, not an empty page. */
export function asList(body, what) {
    if (Array.isArray(body))
        return body;
    throw new UpstreamError(VENDOR, { kind: 'server_error' }, `Caseware answered ${what} with something other than a list`);
}
export function toNativePage(records, map) {
    return { items: records.map(map) };
}
/**
 * A paged source whose `count()` probes at most once; a failed count is forgotten so a later ask can retry.
 * Each page is read once per source (one GraphQL request): the window, the connection's `totalOf` and the
 * probe all start at page 1, and with the response cache off or expired each would cost a call. A failed
 * page is dropped the same way.
 */
export function probedSource(pageSize, read) {
    const page = pageOnce(read);
    let counting;
    return {
        pageSize,
        page,
        count: () => {
            counting ??= countByProbing(page, pageSize).catch((error) => {
                counting = undefined;
                throw error;
            });
            return counting;
        },
    };
}
//# sourceMappingURL=pagination.js.map