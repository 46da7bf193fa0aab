/**
 * API keys: random strings with a `vgk_` prefix. The server keeps only each key's SHA-256 (API_KEYS_FILE),
 * so a leaked file grants nothing, and compares hashes in constant time against every record, so the time
 * a check takes says nothing about which record, or how much of one, matched.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
/** Tells a key from a JWT in `Authorization: Bearer`. */
export const API_KEY_PREFIX = 'vgk_';
/** 32 random bytes: as strong as the HMAC keys it sits beside. */
export function newApiKey() {
    return `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}
/** The hex SHA-256 of the whole key string, prefix included: what API_KEYS_FILE stores. */
export function hashApiKey(key) {
    return createHash('sha256').update(key, 'utf8').digest('hex');
}
export class ApiKeyRing {
    records;
    constructor(records) {
        this.records = records.map((record) => ({ record, digest: Buffer.from(record.sha256, 'hex') }));
    }
    get size() {
        return this.records.length;
    }
    /** The record the key belongs to, or undefined. Every record is compared, match or not. */
    match(key) {
        const digest = createHash('sha256').update(key, 'utf8').digest();
        let found;
        for (const { record, digest: stored } of this.records) {
            if (timingSafeEqual(digest, stored) && found === undefined)
                found = record;
        }
        return found;
    }
}
//# sourceMappingURL=api-keys.js.map