/**
 * What the CareCloud simulator serves beyond CareCloud's docs, and what `strict` does with each (http.ts,
 * `Undocumented`). The file routes stay: the docs say data file upload operations exist and take a Cloud
 * Workspace ID and a Bucket ID, and vendors.md fixes their paths as our configurable reading of them. `DELETE`
 * on a file's path stays with them: it is the same reading, as records have their documented `DELETE .../delete`.
 */
import type { Undocumented } from '../http.ts';
import { CARECLOUD_HEADERS } from '../../vendors/carecloud/wire.ts';

export const CARECLOUD_UNDOCUMENTED: readonly Undocumented[] = Object.freeze([
  {
    kind: 'header',
    method: 'PUT',
    pattern: 'files/:workspaceId/:bucketId/:name',
    header: CARECLOUD_HEADERS.uploadedBy,
    // API Gateway passes headers it was not told about through, and a backend ignores what it does not read.
    why: 'x-uploaded-by (who uploaded a file) is our extension',
  },
]);
