export function errorResponse(status, body) {
    return { status, body };
}
export function unauthorized(hint) {
    return errorResponse(401, { error_type: 'unauthorized', hint });
}
export function rateLimited() {
    return errorResponse(429, {
        error_type: 'rate_limit_exceeded',
        hint: 'Too many requests for this API key; wait until X-CareHQ-RateLimit-Reset.',
    });
}
export function notFound(hint) {
    return errorResponse(404, { error_type: 'not_found', hint });
}
export function invalid(argErrors) {
    return errorResponse(400, {
        error_type: 'invalid_request',
        hint: 'One or more arguments are not valid; see arg_errors.',
        arg_errors: argErrors,
    });
}
//# sourceMappingURL=answers.js.map