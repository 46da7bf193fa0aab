/**
 * CareCloud's answers: API Gateway's `{ message }` errors (with `x-amzn-ErrorType` on those the gateway makes
 * itself), the paged list shape both resources share, and the header reader every route uses.
 */
import { CARECLOUD_DEFAULT_PAGE_SIZE, CARECLOUD_ERROR_MESSAGES, CARECLOUD_ERROR_TYPES, CARECLOUD_MAX_PAGE_SIZE, } from "../../vendors/carecloud/wire.js";
export function page(req, items) {
    const pageNo = positiveInt(req.query.get('page'), 1);
    const pageSize = positiveInt(req.query.get('pageSize'), CARECLOUD_DEFAULT_PAGE_SIZE);
    if (pageNo === undefined)
        return error(400, 'Invalid request: page must be an integer >= 1');
    if (pageSize === undefined || pageSize > CARECLOUD_MAX_PAGE_SIZE) {
        return error(400, `Invalid request: pageSize must be an integer from 1 to ${CARECLOUD_MAX_PAGE_SIZE}`);
    }
    const body = {
        Items: items.slice((pageNo - 1) * pageSize, pageNo * pageSize),
        Page: pageNo,
        PageSize: pageSize,
        TotalItems: items.length,
    };
    return { status: 200, body };
}
function positiveInt(raw, fallback) {
    if (raw === null)
        return fallback;
    if (!/^\d+$/.test(raw))
        return undefined;
    const value = Number(raw);
    return value >= 1 ? value : undefined;
}
export { header } from "../http.js";
export function error(status, message, headers) {
    const body = { message };
    return headers ? { status, headers, body } : { status, body };
}
/** An answer API Gateway makes itself; those carry `x-amzn-ErrorType` and never a Retry-After. */
export function gatewayError(status, kind) {
    return error(status, CARECLOUD_ERROR_MESSAGES[kind], { 'x-amzn-ErrorType': CARECLOUD_ERROR_TYPES[kind] });
}
export function forbidden() {
    return gatewayError(403, 'forbidden');
}
export function missingToken() {
    return gatewayError(403, 'missingToken');
}
export function notFound() {
    return error(404, CARECLOUD_ERROR_MESSAGES.notFound);
}
//# sourceMappingURL=answers.js.map