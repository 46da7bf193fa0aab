export function rateLimited() {
    return fail(429, 'RATE_LIMITED', 'rate limit exceeded; retry after the Retry-After header');
}
export function fail(status, code, message, details) {
    const error = details ? { code, message, details } : { code, message };
    const body = { error };
    return { status, body };
}
export { header } from "../http.js";
export function parseJson(raw) {
    try {
        return JSON.parse(raw.toString('utf8'));
    }
    catch {
        return undefined;
    }
}
//# sourceMappingURL=answers.js.map