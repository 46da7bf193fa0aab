/**
 * What can go wrong upstream, as one discriminated union. Vendors classify their own responses into these
 * kinds; the GraphQL layer (src/graphql/errors.ts) is the only place they become GraphQLErrors.
 */
/**
 * An upstream failure with everything a client can act on. `message` is safe to show: it never holds
 * credentials, signatures or the vendor's raw body.
 */
export class UpstreamError extends Error {
    vendor;
    problem;
    status;
    final;
    details;
    name = 'UpstreamError';
    constructor(vendor, problem, message, 
    /** HTTP status when there was a response. */
    status, 
    /** Set when retrying cannot help (the queue already waited out the caller's deadline). */
    final = false, 
    /** The vendor's own extra detail, for its data source (never shown to clients as is). */
    details) {
        super(message);
        this.vendor = vendor;
        this.problem = problem;
        this.status = status;
        this.final = final;
        this.details = details;
    }
}
export function isUpstreamError(error) {
    return error instanceof UpstreamError;
}
export function isProblem(error, kind) {
    return isUpstreamError(error) && error.problem.kind === kind;
}
/**
 * The problem a status implies when a vendor's body says nothing more specific. Every 4xx but 401, 403, 404,
 * 409 and 429 is `bad_request`: 413, 414 and 431 (a body, URL or header too long) included. Our request was
 * wrong, so sending it again cannot help, and it says nothing about the vendor's health; only 5xx (and
 * anything else unexpected) is `server_error`, which the breaker counts.
 */
export function problemForStatus(status) {
    if (status === 401)
        return { kind: 'unauthorized' };
    if (status === 403)
        return { kind: 'forbidden' };
    if (status === 404)
        return { kind: 'not_found' };
    if (status === 409)
        return { kind: 'conflict' };
    if (status === 429)
        return { kind: 'rate_limited', retryAfterMs: 1000 };
    if (status >= 400 && status < 500)
        return { kind: 'bad_request', fieldErrors: undefined, vendorCode: undefined };
    return { kind: 'server_error' };
}
//# sourceMappingURL=errors.js.map