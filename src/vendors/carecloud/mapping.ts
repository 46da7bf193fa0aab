/** CareCloud wire records -> domain types. Pure functions: no I/O, no clock. */
import { rawOf } from '../mapped-once.ts';
import type { FileStatus, StoredFile } from '../../domain/file.ts';
import type { CareCloudFile } from './wire.ts';

/** Widened to string on purpose: the file operations are not public, so another state may yet arrive. */
function toFileStatus(value: string): FileStatus | null {
  return value === 'complete' ? 'COMPLETE' : null;
}

/** A file's vendorId is its `Name`: names are unique within the workspace and bucket a source is bound to. */
export function toStoredFile(record: CareCloudFile): StoredFile {
  return {
    __typename: 'File',
    vendor: 'CARECLOUD',
    vendorId: record.Name,
    fileId: record.FileId,
    name: record.Name,
    size: record.Size,
    contentType: record.ContentType,
    checksumSha256: record.ChecksumSha256,
    workspaceId: record.WorkspaceId,
    bucketId: record.BucketId,
    uploadedById: record.UploadedBy,
    status: toFileStatus(record.Status),
    createdAt: new Date(record.CreatedAt),
    modifiedAt: new Date(record.ModifiedAt),
    raw: rawOf(record),
  };
}
