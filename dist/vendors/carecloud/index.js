import { UpstreamError, isProblem } from "../../upstream/errors.js";
import { pathSegment } from "../../upstream/path-segment.js";
import { apiKeyId, withApiKey } from "./auth.js";
import { fileNameProblem } from "./ids.js";
import { sha256Hex, storedMismatches } from "./integrity.js";
import { toStoredFile } from "./mapping.js";
import { CARECLOUD_MAX_PAGE_SIZE, pageParams, toNativePage } from "./pagination.js";
import { MonthlyQuota } from "./quota.js";
import { classifyError, countsAgainstQuota, quotaRefusal, readRateSignal, throttleBackoffMs } from "./responses.js";
import { CareCloudSftpUploader, resolveSftpOptions } from "./sftp.js";
import { CARECLOUD_HEADERS, CARECLOUD_METADATA_QUERY } from "./wire.js";
const DEFAULTS = Object.freeze({
    ratePerSecond: 10,
    burst: 20,
    monthlyQuota: 10_000,
    cacheTtlMs: 5000,
    maxUploadBytes: 10 * 1024 * 1024,
    pageSize: CARECLOUD_MAX_PAGE_SIZE,
});
const VENDOR = 'carecloud';
/** Merges defaults and checks every option once; messages name the option, never the key's value. */
export function resolveCareCloudOptions(options) {
    const resolved = {
        ...options,
        ratePerSecond: options.ratePerSecond ?? DEFAULTS.ratePerSecond,
        burst: options.burst ?? DEFAULTS.burst,
        monthlyQuota: options.monthlyQuota ?? DEFAULTS.monthlyQuota,
        cacheTtlMs: options.cacheTtlMs ?? DEFAULTS.cacheTtlMs,
        maxUploadBytes: options.maxUploadBytes ?? DEFAULTS.maxUploadBytes,
        pageSize: options.pageSize ?? DEFAULTS.pageSize,
        sftp: options.sftp === undefined ? undefined : resolveSftpOptions(options.sftp),
    };
    let url;
    try {
        url = new URL(resolved.baseUrl);
    }
    catch {
        url = undefined;
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
        throw new Error(`expected baseUrl to be an http(s) URL, got ${JSON.stringify(resolved.baseUrl)}`);
    }
    if (typeof resolved.credentials?.apiKey !== 'string' || resolved.credentials.apiKey.trim() === '') {
        throw new Error('expected credentials.apiKey to be a non-empty string, got nothing');
    }
    for (const key of ['workspaceId', 'bucketId']) {
        const value = resolved[key];
        if (typeof value !== 'string' || value.trim() === '' || value.includes('/') || value === '.' || value === '..') {
            throw new Error(`expected ${key} to be a non-empty id without "/" (and not "." or ".."), got ${JSON.stringify(value)}`);
        }
    }
    if (!Number.isFinite(resolved.ratePerSecond) || resolved.ratePerSecond <= 0) {
        throw new Error(`expected ratePerSecond to be a number > 0, got ${String(resolved.ratePerSecond)}`);
    }
    for (const key of ['burst', 'monthlyQuota', 'maxUploadBytes']) {
        if (!Number.isInteger(resolved[key]) || resolved[key] < 1) {
            throw new Error(`expected ${key} to be an integer >= 1, got ${String(resolved[key])}`);
        }
    }
    if (!Number.isFinite(resolved.cacheTtlMs) || resolved.cacheTtlMs < 0) {
        throw new Error(`expected cacheTtlMs to be a number >= 0, got ${String(resolved.cacheTtlMs)}`);
    }
    if (!Number.isInteger(resolved.pageSize) || resolved.pageSize < 1 || resolved.pageSize > CARECLOUD_MAX_PAGE_SIZE) {
        throw new Error(`expected pageSize to be an integer from 1 to ${CARECLOUD_MAX_PAGE_SIZE}, got ${String(resolved.pageSize)}`);
    }
    return Object.freeze({ ...resolved, baseUrl: resolved.baseUrl.endsWith('/') ? resolved.baseUrl : `${resolved.baseUrl}/` });
}
export function careCloudAdapter(options, quota) {
    const backoffMs = throttleBackoffMs(options.ratePerSecond);
    return {
        vendor: VENDOR,
        baseUrl: options.baseUrl,
        budgetKey: `${VENDOR}:${apiKeyId(options.credentials)}`,
        rateSpec: { kind: 'bucket', capacity: options.burst, refillPerSecond: options.ratePerSecond },
        authorize: (request) => withApiKey(request, options.credentials),
        admit: (now) => (quota.exhausted(now) ? quotaRefusal(quota.status(now).resetsAt.getTime()) : undefined),
        // The one hook the core calls exactly once per answer, so it is where the quota counts what the vendor counted.
        readRateSignal: (response, now) => {
            if (countsAgainstQuota(response))
                quota.record(now);
            return readRateSignal(response, backoffMs);
        },
        classifyError: (response, now) => {
            const classified = classifyError(response, now, backoffMs);
            if (classified.problem.kind === 'quota_exhausted')
                quota.markExhausted(now);
            return classified;
        },
    };
}
export class CareCloudSource {
    client;
    usage;
    clock;
    sftp;
    workspaceId;
    bucketId;
    maxUploadBytes;
    cacheTtlMs;
    pageSize;
    constructor(client, usage, clock, options, sftp) {
        this.client = client;
        this.usage = usage;
        this.clock = clock;
        this.sftp = sftp;
        this.workspaceId = options.workspaceId;
        this.bucketId = options.bucketId;
        this.maxUploadBytes = options.maxUploadBytes;
        this.cacheTtlMs = options.cacheTtlMs;
        this.pageSize = options.pageSize;
    }
    /** The quota count lives with the source, so build one source per key and process (as for every vendor). */
    static create(core, options) {
        const resolved = resolveCareCloudOptions(options);
        const quota = new MonthlyQuota(resolved.monthlyQuota);
        const logger = core.logger;
        const sftp = resolved.sftp && new CareCloudSftpUploader(resolved.sftp, (fields, message) => logger?.warn(fields, message), () => core.clock.now());
        return new CareCloudSource(core.client(careCloudAdapter(resolved, quota)), quota, core.clock, resolved, sftp);
    }
    get upstream() {
        return this.client;
    }
    /** This month's use of the quota as this process counted it; `now` defaults to the core's clock. */
    quota(now = this.clock.now()) {
        return this.usage.status(now);
    }
    /** The bucket's files, oldest first (the vendor's order); every page reports the total. */
    files(call) {
        return {
            pageSize: this.pageSize,
            page: async (index) => {
                const page = await this.client.request({
                    method: 'GET',
                    path: this.bucketPath(),
                    query: { ...pageParams(index, this.pageSize) },
                    cacheTtlMs: this.cacheTtlMs,
                    operation: 'listFiles',
                }, call);
                return toNativePage(page, toStoredFile);
            },
        };
    }
    /** One file's metadata without its bytes; null when the bucket has no such name. */
    async file(name, call) {
        // No file can have such a name, so there is nothing to ask the vendor (and no quota to spend).
        if (fileNameProblem(name))
            return null;
        const record = await this.fileRecord(name, call);
        return record ? toStoredFile(record) : null;
    }
    /** `cacheTtlMs` 0 reads past the cache, as a confirmation must. */
    fileRecord(name, call, cacheTtlMs = this.cacheTtlMs) {
        return this.client.requestOrNull({ method: 'GET', path: this.filePath(name), query: CARECLOUD_METADATA_QUERY, cacheTtlMs, operation: 'getFile' }, call);
    }
    /**
     * Files by name, in key order: null for an unknown name, an Error for one that failed. One metadata call per
     * distinct name (the vendor has no multi-get); a list walk would cost fewer calls only when most of the
     * bucket is asked for, which the GraphQL layer's per-request batches never are.
     */
    async filesByNames(names, call) {
        const distinct = [...new Set(names)];
        const found = await Promise.all(distinct.map((name) => this.file(name, call).catch((error) => error)));
        const byName = new Map(distinct.map((name, i) => [name, found[i] ?? null]));
        return names.map((name) => byName.get(name) ?? null);
    }
    /**
     * Stores `file` under its name, replacing any file of that name, over HTTPS (the default) or the SFTP drop.
     * HTTPS: the PUT replaces rather than creates, so it is idempotent and a 5xx may be retried; the body's SHA-256
     * goes along so the vendor refuses a corrupted body. SFTP: see ./sftp.ts; the stored file is then read back
     * over HTTPS. Either way a stored file that differs from what was sent is removed and reported as a failure,
     * so a broken upload is never left listed as complete.
     */
    async upload(file, call, transport = 'https') {
        const invalid = fileNameProblem(file.name);
        if (invalid)
            throw badInput('name', invalid);
        if (file.bytes.length > this.maxUploadBytes) {
            throw badInput('bytes', `the file is ${file.bytes.length} bytes; at most ${this.maxUploadBytes} may be uploaded`);
        }
        const checksumSha256 = sha256Hex(file.bytes);
        const stored = transport === 'sftp' ? await this.putBySftp(file, call) : await this.putByHttps(file, checksumSha256, call);
        const differences = storedMismatches(stored, {
            name: file.name,
            size: file.bytes.length,
            checksumSha256,
            workspaceId: this.workspaceId,
            bucketId: this.bucketId,
        });
        if (differences.length === 0)
            return toStoredFile(stored);
        const removed = await this.remove(file.name, call);
        throw new UpstreamError(VENDOR, { kind: 'server_error' }, `CareCloud stored ${JSON.stringify(file.name)} with a different ${differences.join(', ')} than was sent; ` +
            (removed ? 'the stored copy was removed' : 'the stored copy could not be removed'));
    }
    async putByHttps(file, checksumSha256, call) {
        const headers = {
            [CARECLOUD_HEADERS.checksumSha256]: checksumSha256,
            // The documented way to name the destination; the path says the same for routes that read it from there.
            [CARECLOUD_HEADERS.workspaceOverride]: this.workspaceId,
            [CARECLOUD_HEADERS.bucketOverride]: this.bucketId,
        };
        if (file.uploadedById)
            headers[CARECLOUD_HEADERS.uploadedBy] = file.uploadedById;
        try {
            return await this.client.request({
                method: 'PUT',
                path: this.filePath(file.name),
                bytes: { data: file.bytes, contentType: file.contentType || 'application/octet-stream' },
                headers,
                idempotent: true,
                operation: 'uploadFile',
            }, call);
        }
        finally {
            // Even a failed PUT may have replaced the file; no cached list or metadata may outlive it.
            this.client.invalidate();
        }
    }
    /**
     * SFTP carries neither a content type nor an uploader: the drop guesses the one and records its own account
     * as the other, so an uploader is refused here rather than silently dropped.
     */
    async putBySftp(file, call) {
        if (!this.sftp) {
            throw badInput('transport', 'SFTP uploads are not configured for CareCloud (set CARECLOUD_SFTP_HOST and its variables); use HTTPS');
        }
        if (file.uploadedById)
            throw badInput('uploadedById', 'an SFTP upload cannot record an uploader; leave uploadedById out or use HTTPS');
        // The upload is confirmed over HTTPS; with the quota gone it could not be, so nothing is sent at all.
        const now = this.clock.now();
        if (this.usage.exhausted(now)) {
            const refusal = quotaRefusal(this.usage.status(now).resetsAt.getTime());
            throw new UpstreamError(VENDOR, refusal.problem, refusal.message, undefined, true);
        }
        try {
            await this.sftp.put({ workspaceId: this.workspaceId, bucketId: this.bucketId, name: file.name }, file.bytes, call.deadline);
        }
        finally {
            // As for a failed PUT: the rename may have happened even when the answer to it was lost.
            this.client.invalidate();
        }
        const stored = await this.fileRecord(file.name, call, 0);
        if (stored)
            return stored;
        throw new UpstreamError(VENDOR, { kind: 'server_error' }, `CareCloud does not list ${JSON.stringify(file.name)} after its SFTP upload`);
    }
    /** A file's bytes; null when the bucket has no such name. */
    async download(name, call) {
        if (fileNameProblem(name))
            return null;
        let response;
        try {
            // Not cached: files run to megabytes, and a cache would hold them as base64.
            response = await this.client.exchange({ method: 'GET', path: this.filePath(name), headers: { accept: '*/*' }, operation: 'downloadFile' }, call);
        }
        catch (error) {
            if (isProblem(error, 'not_found'))
                return null;
            throw error;
        }
        const checksumSha256 = sha256Hex(response.bytes);
        const announced = response.headers.get(CARECLOUD_HEADERS.checksumSha256)?.trim().toLowerCase();
        if (announced && announced !== checksumSha256) {
            throw new UpstreamError(VENDOR, { kind: 'server_error' }, `CareCloud sent ${JSON.stringify(name)} with a checksum that does not match its bytes`, response.status);
        }
        return {
            bytes: response.bytes,
            contentType: response.headers.get('content-type') ?? 'application/octet-stream',
            checksumSha256,
        };
    }
    /** Best effort: true when the file is gone afterwards. */
    async remove(name, call) {
        try {
            await this.client.exchange({ method: 'DELETE', path: this.filePath(name), idempotent: true, operation: 'deleteFile' }, call);
            return true;
        }
        catch (error) {
            return isProblem(error, 'not_found');
        }
        finally {
            this.client.invalidate();
        }
    }
    bucketPath() {
        return `files/${pathSegment(this.workspaceId)}/${pathSegment(this.bucketId)}`;
    }
    filePath(name) {
        return `${this.bucketPath()}/${pathSegment(name)}`;
    }
}
/** Refused before any call: the caller's input, not the vendor, is at fault. */
function badInput(field, message) {
    return new UpstreamError(VENDOR, { kind: 'bad_request', fieldErrors: { [field]: [message] }, vendorCode: undefined }, message, undefined, true);
}
//# sourceMappingURL=index.js.map