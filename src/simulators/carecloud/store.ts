/** The files and appdata records a CareCloud simulator holds: files seeded at start, tables made on first write. */
import type { CareCloudAppDataRecord, CareCloudFile } from '../../vendors/carecloud/wire.ts';
import type { ResolvedOptions } from './options.ts';
import { seedCareCloudFiles, sha256Hex, type CareCloudStoredFile } from './seed.ts';

/** What the simulator holds; tests may read and change it directly. */
export interface CareCloudStore {
  /** Workspace id -> bucket id -> file name -> file. A bucket exists exactly when its map does. */
  readonly files: Map<string, Map<string, Map<string, CareCloudStoredFile>>>;
  /** Entity name -> record id -> record. Tables appear on first create. */
  readonly appdata: Map<string, Map<string, CareCloudAppDataRecord>>;
}

export function buildStore(config: ResolvedOptions): CareCloudStore {
  const files: CareCloudStore['files'] = new Map();
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
    for (const file of seeded) bucket?.set(file.meta.Name, file);
  }
  return { files, appdata: new Map() };
}

/** A file arriving over HTTP or SFTP, with the destination it names. */
export interface IncomingFile {
  readonly workspaceId: string;
  readonly bucketId: string;
  readonly name: string;
  readonly contentType: string;
  readonly uploadedBy: string | null;
  readonly bytes: Buffer;
}

/**
 * Stores a complete file, replacing any of that name (which keeps its FileId and CreatedAt): the one way files
 * enter a bucket, so HTTP and SFTP uploads list the same. Size and checksum are computed from the bytes.
 */
export function putFile(bucket: Map<string, CareCloudStoredFile>, file: IncomingFile, now: string, newFileId: () => string): CareCloudFile {
  const previous = bucket.get(file.name)?.meta;
  const meta: CareCloudFile = {
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
