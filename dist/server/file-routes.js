import { badInput, toGraphQLError } from "../graphql/errors.js";
import { fromGlobalId, toGlobalId } from "../graphql/global-id.js";
import { fileNameProblem } from "../vendors/carecloud/ids.js";
import { AuthenticationError } from "./auth/principal.js";
import { DOWNLOAD_PATH } from "./download-urls.js";
import { readBytes, requestPath } from "./http.js";
import { downloadHeaders } from "./served-content.js";
const UPLOAD_PATH = '/files/';
/**
 * Statuses of errors from vendors and input. A vendor's UNAUTHENTICATED or FORBIDDEN is the gateway's own key
 * being refused upstream: a bad gateway (502), not the caller's fault. The caller's own 401 and 403 are
 * answered by `refuseCaller`.
 */
const HTTP_STATUS = {
    BAD_USER_INPUT: 400,
    UPSTREAM_BAD_REQUEST: 400,
    NOT_FOUND: 404,
    RATE_LIMITED: 429,
    QUOTA_EXHAUSTED: 429,
    UNAUTHENTICATED: 502,
    FORBIDDEN: 502,
    UPSTREAM_TIMEOUT: 504,
    INTERNAL_SERVER_ERROR: 500,
};
function json(res, status, body, headers = {}) {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
}
function fail(res, error, headers = {}) {
    const code = String(error.extensions.code ?? 'INTERNAL_SERVER_ERROR');
    const retryAfter = error.extensions.retryAfter;
    json(res, HTTP_STATUS[code] ?? 502, { errors: [{ message: error.message, extensions: error.extensions }] }, { ...headers, ...(typeof retryAfter === 'number' ? { 'retry-after': String(retryAfter) } : {}) });
}
/** The caller may not do this: no or bad credentials (401), or credentials without the scope (403). */
class CallerRefused extends Error {
    status;
    name = 'CallerRefused';
    constructor(status, message) {
        super(message);
        this.status = status;
    }
}
function refuseCaller(res, refusal, headers = {}) {
    const code = refusal.status === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN';
    json(res, refusal.status, { errors: [{ message: refusal.message, extensions: { code } }] }, {
        ...headers,
        ...(refusal.status === 401 ? { 'www-authenticate': 'Bearer' } : {}),
    });
}
async function requireScope(deps, req, scope) {
    let caller;
    try {
        caller = await deps.principalFor(req);
    }
    catch (error) {
        if (error instanceof AuthenticationError)
            throw new CallerRefused(401, error.message);
        throw error;
    }
    if (!caller.can(scope))
        throw new CallerRefused(403, `this route needs the ${scope} scope, which the credentials do not grant`);
}
/** The rest of the path after `prefix` as sent, percent-decoded; a malformed escape is the client's error, not ours. */
function pathRest(req, url, prefix) {
    try {
        return decodeURIComponent(requestPath(req, url).slice(prefix.length));
    }
    catch {
        throw badInput(`the path after ${prefix} is not valid percent-encoding`, { argument: 'path' });
    }
}
export function fileRoutes(deps) {
    const download = async (req, res, url) => {
        if (req.method !== 'GET')
            return json(res, 405, { message: 'use GET' }, { allow: 'GET' });
        try {
            let requested;
            try {
                requested = pathRest(req, url, DOWNLOAD_PATH);
            }
            catch (error) {
                requested = toGraphQLError(error);
            }
            // A valid signature is the credential; anything else (none, expired, altered) needs files:read, so an
            // id built by hand downloads nothing without credentials.
            const signed = typeof requested === 'string' && deps.downloadUrls.check(requested, url.searchParams) === 'valid';
            if (!signed)
                await requireScope(deps, req, 'files:read');
            if (typeof requested !== 'string')
                return fail(res, requested);
            const id = fromGlobalId(requested, 'File');
            const file = id.vendor === 'CARECLOUD' ? await deps.carecloud.download(id.id, await deps.callFor(req)) : null;
            if (!file)
                return json(res, 404, { errors: [{ message: 'no such file', extensions: { code: 'NOT_FOUND' } }] });
            res.writeHead(200, {
                ...downloadHeaders(id.id, file.contentType),
                'content-length': String(file.bytes.length),
                'x-checksum-sha256': file.checksumSha256,
            });
            res.end(file.bytes);
        }
        catch (error) {
            if (error instanceof CallerRefused)
                return refuseCaller(res, error);
            fail(res, toGraphQLError(error));
        }
    };
    const upload = async (req, res, url) => {
        if (req.method !== 'PUT')
            return json(res, 405, { message: 'use PUT with the raw file as the body' }, { allow: 'PUT' });
        // Refused before its body was read, the upload's connection is closed rather than drained: a caller
        // without credentials or with a bad name gets nowhere by sending megabytes.
        let unread = { connection: 'close' };
        try {
            await requireScope(deps, req, 'files:write');
            const name = pathRest(req, url, UPLOAD_PATH);
            const invalid = fileNameProblem(name);
            if (invalid)
                throw badInput(invalid, { argument: 'name' });
            const uploaderHeader = req.headers['x-uploaded-by'];
            const uploader = typeof uploaderHeader === 'string' && uploaderHeader ? fromGlobalId(uploaderHeader, 'User') : undefined;
            if (uploader && uploader.vendor !== 'GENERIC')
                throw badInput('X-Uploaded-By must be a Generic API user', { argument: 'x-uploaded-by' });
            const bytes = await readBytes(req, deps.carecloud.maxUploadBytes);
            unread = {};
            if (!bytes) {
                return json(res, 413, {
                    errors: [{ message: `files may be at most ${deps.carecloud.maxUploadBytes} bytes`, extensions: { code: 'BAD_USER_INPUT' } }],
                });
            }
            const file = await deps.carecloud.upload({
                name,
                contentType: req.headers['content-type'] ?? 'application/octet-stream',
                bytes,
                uploadedById: uploader?.id ?? null,
            }, await deps.callFor(req));
            const id = toGlobalId(file.vendor, 'File', file.vendorId);
            json(res, 201, {
                file: {
                    id,
                    name: file.name,
                    size: file.size,
                    contentType: file.contentType,
                    checksumSha256: file.checksumSha256,
                    workspaceId: file.workspaceId,
                    bucketId: file.bucketId,
                    createdAt: file.createdAt.toISOString(),
                    modifiedAt: file.modifiedAt.toISOString(),
                    downloadUrl: deps.downloadUrls.url(id),
                },
            });
        }
        catch (error) {
            if (error instanceof CallerRefused)
                return refuseCaller(res, error, unread);
            deps.logger.debug({ err: error }, 'file upload failed');
            fail(res, toGraphQLError(error), unread);
        }
    };
    return { [DOWNLOAD_PATH]: download, [UPLOAD_PATH]: upload };
}
//# sourceMappingURL=file-routes.js.map