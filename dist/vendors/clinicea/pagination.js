import { UpstreamError } from "../../upstream/errors.js";
import { CLINICEA_PAGE_SIZE } from "./wire.js";
export { CLINICEA_PAGE_SIZE };
/** Our zero-based page index as the vendor numbers it. */
export function pageNumber(index, firstPageNumber) {
    if (!Number.isInteger(index) || index < 0) {
        throw new RangeError(`expected a page index to be a whole number >= 0, got ${index}`);
    }
    return index + firstPageNumber;
}
/** A list answer as records: an absent body (204) is an empty page; anything but an array is unreadable. */
export function pageRecords(body) {
    if (body === undefined || body === null)
        return [];
    if (!Array.isArray(body)) {
        throw new UpstreamError('clinicea', { kind: 'server_error' }, `clinicea answered a list page that is not an array (${typeof body})`);
    }
    return body;
}
export function toNativePage(body, map) {
    return { items: pageRecords(body).map(map) };
}
//# sourceMappingURL=pagination.js.map