import { badInput, toGraphQLError } from "../graphql/errors.js";
import { fromGlobalId, toGlobalId } from "../graphql/global-id.js";
import { readBytes } from "./http.js";
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
function fail(res, error) {
    const code = String(error.extensions.code ?? 'INTERNAL_SERVER_ERROR');
    const retryAfter = error.extensions.retryAfter;
    json(res, HTTP_STATUS[code] ?? 502, { errors: [{ message: error.message, extensions: error.extensions }] }, typeof retryAfter === 'number' ? { 'retry-after': String(retryAfter) } : {});
}
/** The rest of the path after `prefix`, percent-decoded; a malformed escape is the client's error, not ours. */
function pathRest(url, prefix) {
    try {
        return decodeURIComponent(url.pathname.slice(prefix.length));
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
            const id = fromGlobalId(pathRest(url, '/files/download/'), 'File');
            const file = id.vendor === 'CARECLOUD' ? await deps.carecloud.download(id.id, deps.callFor(req)) : null;
            if (!file)
                return json(res, 404, { errors: [{ message: 'no such file', extensions: { code: 'NOT_FOUND' } }] });
            res.writeHead(200, {
                'content-type': file.contentType,
                'content-length': String(file.bytes.length),
                'x-checksum-sha256': file.checksumSha256,
                'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(id.id)}`,
            });
            res.end(file.bytes);
        }
        catch (error) {
            fail(res, toGraphQLError(error));
        }
    };
    const upload = async (req, res, url) => {
        if (req.method !== 'PUT')
            return json(res, 405, { message: 'use PUT with the raw file as the body' }, { allow: 'PUT' });
        try {
            const name = pathRest(url, '/files/');
            const bytes = await readBytes(req, deps.carecloud.maxUploadBytes);
            if (!bytes) {
                return json(res, 413, {
                    errors: [{ message: `files may be at most ${deps.carecloud.maxUploadBytes} bytes`, extensions: { code: 'BAD_USER_INPUT' } }],
                });
            }
            const uploaderHeader = req.headers['x-uploaded-by'];
            const uploader = typeof uploaderHeader === 'string' && uploaderHeader ? fromGlobalId(uploaderHeader, 'User') : undefined;
            const file = await deps.carecloud.upload({
                name,
                contentType: req.headers['content-type'] ?? 'application/octet-stream',
                bytes,
                uploadedById: uploader?.vendor === 'GENERIC' ? uploader.id : null,
            }, deps.callFor(req));
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
                    downloadUrl: `${deps.publicUrl()}/files/download/${encodeURIComponent(id)}`,
                },
            });
        }
        catch (error) {
            deps.logger.debug({ err: error }, 'file upload failed');
            fail(res, toGraphQLError(error));
        }
    };
    return { '/files/download/': download, '/files/': upload };
}
//# sourceMappingURL=file-routes.js.map