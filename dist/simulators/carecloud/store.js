import { seedCareCloudFiles, sha256Hex } from "./seed.js";
export function buildStore(config) {
    const files = new Map();
    for (const [workspaceId, bucketIds] of Object.entries(config.workspaces)) {
        files.set(workspaceId, new Map(bucketIds.map((bucketId) => [bucketId, new Map()])));
    }
    const [workspaceId, bucketIds] = Object.entries(config.workspaces)[0] ?? [];
    const bucketId = bucketIds?.[0];
    if (workspaceId !== undefined && bucketId !== undefined) {
        const bucket = files.get(workspaceId)?.get(bucketId);
        const seeded = seedCareCloudFiles({
            seed: config.seed,
            count: config.fileCount,
            workspaceId,
            bucketId,
            uploaderIds: config.uploaderIds,
        });
        for (const file of seeded)
            bucket?.set(file.meta.Name, file);
    }
    return { files, appdata: new Map() };
}
/**
 * Stores a complete file, replacing any of that name (which keeps its FileId and CreatedAt): the one way files
 * enter a bucket, so HTTP and SFTP uploads list the same. Size and checksum are computed from the bytes.
 */
export function putFile(bucket, file, now, newFileId) {
    const previous = bucket.get(file.name)?.meta;
    const meta = {
        FileId: previous?.FileId ?? newFileId(),
        Name: file.name,
        Size: file.bytes.length,
        ContentType: file.contentType,
        ChecksumSha256: sha256Hex(file.bytes),
        WorkspaceId: file.workspaceId,
        BucketId: file.bucketId,
        UploadedBy: file.uploadedBy,
        CreatedAt: previous?.CreatedAt ?? now,
        ModifiedAt: now,
        Status: 'complete',
    };
    // Copied so a caller reusing its buffer cannot change what was stored.
    bucket.set(file.name, { meta, bytes: Buffer.from(file.bytes) });
    return meta;
}
//# sourceMappingURL=store.js.map