/**
 * File upload, list, download and delete under `files/{workspaceId}/{bucketId}`: size and checksum checks on
 * upload, metadata or bytes on download. The operations are our choice (vendors.md).
 */
import { CARECLOUD_ERROR_MESSAGES, CARECLOUD_HEADERS, CARECLOUD_METADATA_QUERY, } from "../../vendors/carecloud/wire.js";
import { error, header, notFound, page } from "./answers.js";
import { sha256Hex } from "./seed.js";
import { putFile } from "./store.js";
export function registerFileRoutes(router, store, config, newFileId) {
    const bucketOf = (workspaceId, bucketId) => workspaceId === undefined || bucketId === undefined ? undefined : store.files.get(workspaceId)?.get(bucketId);
    router.on('PUT', 'files/:workspaceId/:bucketId/:name', (req) => {
        // The documented override headers name the destination for clients that cannot put ids in the path.
        const workspaceId = header(req, CARECLOUD_HEADERS.workspaceOverride) ?? req.params.workspaceId;
        const bucketId = header(req, CARECLOUD_HEADERS.bucketOverride) ?? req.params.bucketId;
        const name = req.params.name ?? '';
        const bucket = bucketOf(workspaceId, bucketId);
        if (!bucket || workspaceId === undefined || bucketId === undefined)
            return notFound();
        const declared = header(req, 'content-length');
        const declaredBytes = declared === undefined ? undefined : Number(declared);
        if (req.rawBody.length > config.maxFileBytes || (declaredBytes ?? 0) > config.maxFileBytes) {
            return error(413, CARECLOUD_ERROR_MESSAGES.tooLarge);
        }
        // A body shorter or longer than announced is a broken upload; storing it would list a corrupt file.
        if (declaredBytes !== undefined && declaredBytes !== req.rawBody.length) {
            return error(400, 'Content-Length does not match the body received');
        }
        const checksum = sha256Hex(req.rawBody);
        const expected = header(req, CARECLOUD_HEADERS.checksumSha256);
        if (expected !== undefined && expected.trim().toLowerCase() !== checksum) {
            return error(400, CARECLOUD_ERROR_MESSAGES.checksumMismatch);
        }
        const meta = putFile(bucket, {
            workspaceId,
            bucketId,
            name,
            contentType: header(req, 'content-type') ?? 'application/octet-stream',
            uploadedBy: header(req, CARECLOUD_HEADERS.uploadedBy) ?? null,
            bytes: req.rawBody,
        }, new Date(config.clock()).toISOString(), newFileId);
        return { status: 201, body: meta };
    });
    router.on('GET', 'files/:workspaceId/:bucketId', (req) => {
        const bucket = bucketOf(req.params.workspaceId, req.params.bucketId);
        if (!bucket)
            return notFound();
        const files = [...bucket.values()].map((file) => file.meta).sort(byCreatedThenId);
        return page(req, files);
    });
    router.on('GET', 'files/:workspaceId/:bucketId/:name', (req) => {
        const file = bucketOf(req.params.workspaceId, req.params.bucketId)?.get(req.params.name ?? '');
        if (!file)
            return notFound();
        if (req.query.get('metadata') === CARECLOUD_METADATA_QUERY.metadata)
            return { status: 200, body: file.meta };
        return {
            status: 200,
            headers: {
                'content-type': file.meta.ContentType,
                'content-length': String(file.bytes.length),
                [CARECLOUD_HEADERS.checksumSha256]: file.meta.ChecksumSha256,
            },
            body: file.bytes,
        };
    });
    router.on('DELETE', 'files/:workspaceId/:bucketId/:name', (req) => {
        const bucket = bucketOf(req.params.workspaceId, req.params.bucketId);
        if (!bucket?.delete(req.params.name ?? ''))
            return notFound();
        return { status: 204 };
    });
}
function byCreatedThenId(a, b) {
    if (a.CreatedAt !== b.CreatedAt)
        return a.CreatedAt < b.CreatedAt ? -1 : 1;
    return a.FileId < b.FileId ? -1 : a.FileId > b.FileId ? 1 : 0;
}
//# sourceMappingURL=routes-files.js.map