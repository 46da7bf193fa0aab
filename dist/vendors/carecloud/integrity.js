/**
 * Checking that bytes arrive as they left. Uploads send their SHA-256 so the vendor refuses a corrupted body,
 * and the vendor's answer is compared with what was sent so that a mismatch it did not catch is not reported
 * as a stored file.
 */
import { createHash } from 'node:crypto';
export function sha256Hex(bytes) {
    return createHash('sha256').update(bytes).digest('hex');
}
/** The fields in which the stored record differs from what was sent; empty when it is the file we sent. */
export function storedMismatches(stored, sent) {
    const differences = [];
    if (stored.Name !== sent.name)
        differences.push('name');
    if (stored.Size !== sent.size)
        differences.push('size');
    if (stored.ChecksumSha256.toLowerCase() !== sent.checksumSha256)
        differences.push('checksum');
    if (stored.WorkspaceId !== sent.workspaceId || stored.BucketId !== sent.bucketId)
        differences.push('location');
    if (stored.Status !== 'complete')
        differences.push('status');
    return differences;
}
//# sourceMappingURL=integrity.js.map