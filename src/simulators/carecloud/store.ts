/** The files and appdata records a CareCloud simulator holds: files seeded at start, tables made on first write. */
import type { CareCloudAppDataRecord } from '../../vendors/carecloud/wire.ts';
import type { ResolvedOptions } from './options.ts';
import { seedCareCloudFiles, type CareCloudStoredFile } from './seed.ts';

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
