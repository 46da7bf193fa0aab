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
//# sourceMappingURL=mapping.js.map