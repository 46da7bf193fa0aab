import { CARECLOUD_DEFAULT_WORKSPACES } from "./seed.js";
/** Deterministic so tests, the demo and `npm run simulate` agree without configuration. */
export const CARECLOUD_DEMO_CREDENTIALS = Object.freeze({
    apiKey: 'ccdemo-7Qx2LmV9pR4sT8wZ1yB6nK3hJ5',
});
export const CARECLOUD_DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;
/** The SFTP account the simulator makes at start, with a key pair generated then. */
export const CARECLOUD_SFTP_DEMO_USERNAME = 'carecloud-demo';
export function resolveOptions(options) {
    const resolved = {
        port: options.port ?? 0,
        credentials: options.credentials ?? CARECLOUD_DEMO_CREDENTIALS,
        extraApiKeys: options.extraApiKeys ?? [],
        seed: options.seed ?? 1,
        fileCount: options.fileCount ?? 40,
        workspaces: options.workspaces ?? CARECLOUD_DEFAULT_WORKSPACES,
        uploaderIds: options.uploaderIds ?? [],
        maxFileBytes: options.maxFileBytes ?? CARECLOUD_DEFAULT_MAX_FILE_BYTES,
        clock: options.clock ?? Date.now,
        sftp: options.sftp ?? false,
        sftpUsers: options.sftpUsers ?? [],
    };
    if (!resolved.credentials.apiKey) {
        throw new Error('expected credentials.apiKey to be a non-empty string, got nothing');
    }
    if (!Number.isInteger(resolved.fileCount) || resolved.fileCount < 0) {
        throw new Error(`expected fileCount to be an integer >= 0, got ${String(resolved.fileCount)}`);
    }
    if (!Number.isInteger(resolved.maxFileBytes) || resolved.maxFileBytes < 0) {
        throw new Error(`expected maxFileBytes to be an integer >= 0, got ${String(resolved.maxFileBytes)}`);
    }
    const usernames = new Set([CARECLOUD_SFTP_DEMO_USERNAME]);
    resolved.sftpUsers.forEach((user, index) => {
        if (typeof user.username !== 'string' || user.username === '' || usernames.has(user.username)) {
            throw new Error(`expected sftpUsers[${index}].username to be a non-empty name used once, got ${JSON.stringify(user.username)}`);
        }
        usernames.add(user.username);
    });
    const first = Object.entries(resolved.workspaces)[0];
    if (resolved.fileCount > 0 && (first === undefined || first[1].length === 0)) {
        throw new Error('expected workspaces to hold at least one workspace with a bucket to seed files into, got none');
    }
    return { ...resolved, workspaces: Object.freeze(Object.fromEntries(Object.entries(resolved.workspaces))) };
}
//# sourceMappingURL=options.js.map