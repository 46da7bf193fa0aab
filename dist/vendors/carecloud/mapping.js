/** A file's vendorId is its `Name`: names are unique within the workspace and bucket a source is bound to. */
export function toStoredFile(record) {
    return {
        __typename: 'File',
        vendor: 'CARECLOUD',
        vendorId: record.Name,
        name: record.Name,
        size: record.Size,
        contentType: record.ContentType,
        checksumSha256: record.ChecksumSha256,
        workspaceId: record.WorkspaceId,
        bucketId: record.BucketId,
        uploadedById: record.UploadedBy,
        createdAt: new Date(record.CreatedAt),
        modifiedAt: new Date(record.ModifiedAt),
        raw: { ...record },
    };
}
/**
 * Why a name cannot be a file name here, or undefined when it can. A name is one path segment: a `/` would be
 * read as another segment by the gateway, and `.`/`..` would be collapsed by URL resolution.
 */
export function invalidFileName(name) {
    if (name.length === 0)
        return 'a file name must not be empty';
    if (name.includes('/'))
        return 'a file name must not contain "/"';
    if (name === '.' || name === '..')
        return `a file name must not be "${name}"`;
    return undefined;
}
//# sourceMappingURL=mapping.js.map