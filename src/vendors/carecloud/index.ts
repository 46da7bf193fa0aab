/**
 * The CareCloud (MCT data sync) data source: files in one workspace and bucket, over the shared upstream core.
 * CareCloud sits behind AWS API Gateway, whose usage plan gives each key a rate, a burst and a monthly quota and
 * reports none of them: the rate is a bucket we keep ourselves, the quota a count we keep ourselves (quota.ts),
 * and a LimitExceeded answer stops every call until the month turns.
 */
import { createHash } from 'node:crypto';
import type { NewFile, StoredFile } from '../../domain/file.ts';
import type { PagedSource } from '../../domain/paging.ts';
import { REQUEST_ID_HEADER, type VendorAdapter } from '../../upstream/adapter.ts';
import type { CallContext, UpstreamClient, UpstreamCore } from '../../upstream/client.ts';
import type { Clock } from '../../upstream/clock.ts';
import type { Capabilities } from '../../upstream/capabilities.ts';
import { UpstreamError, isProblem } from '../../upstream/errors.ts';
import { pathSegment } from '../../upstream/path-segment.ts';
import type { UpstreamResponse } from '../../upstream/request.ts';
import { apiKeyId, withApiKey, type CareCloudCredentials } from './auth.ts';
import { fileNameProblem } from './ids.ts';
import { sha256Hex, storedMismatches } from './integrity.ts';
import { toStoredFile } from './mapping.ts';
import { mappedOnce } from '../mapped-once.ts';
import { CARECLOUD_MAX_PAGE_SIZE, pageParams, toNativePage } from './pagination.ts';
import { MonthlyQuota, startOfNextMonth, type QuotaStatus } from './quota.ts';
import { ThrottleBackoff } from '../throttle-backoff.ts';
import { classifyError, countsAgainstQuota, quotaRefusal, readRateSignal, throttleBackoffMs, verdictOf } from './responses.ts';
import { CareCloudSftpUploader, resolveSftpOptions, type CareCloudSftpOptions, type ResolvedSftpOptions } from './sftp.ts';
import { CARECLOUD_HEADERS, CARECLOUD_METADATA_QUERY, type CareCloudFile, type CareCloudFilePage } from './wire.ts';

export type { CareCloudCredentials } from './auth.ts';
export type { QuotaStatus } from './quota.ts';
export type { CareCloudSftpOptions } from './sftp.ts';

/** Cached records are mapped once, not on every hit (../mapped-once.ts). */
const fileOf = mappedOnce(toStoredFile);

/** How an upload travels: the HTTPS API, or the SFTP drop (then confirmed over HTTPS). */
export type CareCloudTransport = 'https' | 'sftp';

export interface CareCloudOptions {
  /** The API Gateway stage URL, e.g. `https://xxxx.execute-api.eu-west-2.amazonaws.com/prod/`. */
  readonly baseUrl: string;
  /** Sent as `x-api-key`. */
  readonly credentials: CareCloudCredentials;
  /** The Cloud Workspace ID files live in and uploads go to. */
  readonly workspaceId: string;
  /** The Bucket ID within the workspace. */
  readonly bucketId: string;
  /** The usage plan's steady rate per key, requests per second. Default 10. */
  readonly ratePerSecond?: number;
  /** The usage plan's burst: requests that may go at once. Default 20. */
  readonly burst?: number;
  /** The usage plan's calls per calendar month (UTC). Default 10000. */
  readonly monthlyQuota?: number;
  /** How long list pages and file metadata are reused, ms. Default 5000; uploads clear it. 0 turns it off. */
  readonly cacheTtlMs?: number;
  /** Larger uploads are refused before any call is made. Default 10 MiB. */
  readonly maxUploadBytes?: number;
  /** Files per list page. Default 100, the vendor's largest: every call counts against the quota. */
  readonly pageSize?: number;
  /** The SFTP drop, for uploads with transport `sftp`. Default unset: such uploads are refused as bad input. */
  readonly sftp?: CareCloudSftpOptions;
}

type Resolved = Required<Omit<CareCloudOptions, 'sftp'>> & { readonly sftp: ResolvedSftpOptions | undefined };

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
export function resolveCareCloudOptions(options: CareCloudOptions): Readonly<Resolved> {
  const resolved: Resolved = {
    ...options,
    ratePerSecond: options.ratePerSecond ?? DEFAULTS.ratePerSecond,
    burst: options.burst ?? DEFAULTS.burst,
    monthlyQuota: options.monthlyQuota ?? DEFAULTS.monthlyQuota,
    cacheTtlMs: options.cacheTtlMs ?? DEFAULTS.cacheTtlMs,
    maxUploadBytes: options.maxUploadBytes ?? DEFAULTS.maxUploadBytes,
    pageSize: options.pageSize ?? DEFAULTS.pageSize,
    sftp: options.sftp === undefined ? undefined : resolveSftpOptions(options.sftp),
  };
  let url: URL | undefined;
  try {
    url = new URL(resolved.baseUrl);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new Error(`expected baseUrl to be an http(s) URL, got ${JSON.stringify(resolved.baseUrl)}`);
  }
  if (typeof resolved.credentials?.apiKey !== 'string' || resolved.credentials.apiKey.trim() === '') {
    throw new Error('expected credentials.apiKey to be a non-empty string, got nothing');
  }
  for (const key of ['workspaceId', 'bucketId'] as const) {
    const value = resolved[key];
    if (typeof value !== 'string' || value.trim() === '' || value.includes('/') || value === '.' || value === '..') {
      throw new Error(`expected ${key} to be a non-empty id without "/" (and not "." or ".."), got ${JSON.stringify(value)}`);
    }
  }
  if (!Number.isFinite(resolved.ratePerSecond) || resolved.ratePerSecond <= 0) {
    throw new Error(`expected ratePerSecond to be a number > 0, got ${String(resolved.ratePerSecond)}`);
  }
  for (const key of ['burst', 'monthlyQuota', 'maxUploadBytes'] as const) {
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

/** Names the key's rate budget without revealing it: API Gateway's usage plans are per key. */
function keyName(options: Readonly<Resolved>): string {
  return `${VENDOR}:${apiKeyId(options.credentials)}`;
}

/**
 * Names the key's monthly count, per stage URL too: a count kept in Redis outlives every process, and a
 * simulator (or a stage) started afresh must not inherit the count of another that happened to use the key.
 */
function quotaName(options: Readonly<Resolved>): string {
  return `${keyName(options)}:${createHash('sha256').update(options.baseUrl).digest('hex').slice(0, 12)}`;
}

/** The longest wait after throttles in a row, before jitter. */
export const CARECLOUD_MAX_THROTTLE_BACKOFF_MS = 20_000;

export function careCloudAdapter(options: Readonly<Resolved>, quota: MonthlyQuota, random?: () => number): VendorAdapter {
  // API Gateway never says when to retry: start at one token's refill time and double on each throttle in a
  // row, with jitter, as the vendor asks ("back off on a throttle"). A success starts over.
  const backoff = new ThrottleBackoff({
    baseMs: throttleBackoffMs(options.ratePerSecond),
    maxMs: Math.max(CARECLOUD_MAX_THROTTLE_BACKOFF_MS, throttleBackoffMs(options.ratePerSecond)),
    random,
  });
  // Set by readRateSignal, read by classifyError for the same answer (the core calls them back to back).
  let backoffMs = throttleBackoffMs(options.ratePerSecond);
  return {
    vendor: VENDOR,
    baseUrl: options.baseUrl,
    budgetKey: keyName(options),
    correlationHeader: REQUEST_ID_HEADER,
    rateSpec: { kind: 'bucket', capacity: options.burst, refillPerSecond: options.ratePerSecond },
    authorize: (request) => withApiKey(request, options.credentials),
    admit: async (now) => ((await quota.exhausted(now)) ? quotaRefusal(startOfNextMonth(now)) : undefined),
    // The one hook the core calls exactly once per answer, so it is where the quota counts what the vendor counted.
    readRateSignal: (response, now) => {
      if (countsAgainstQuota(response)) quota.record(now);
      if (response.status === 429 && verdictOf(response) === 'throttled') backoffMs = backoff.next(now);
      else if (response.status >= 200 && response.status < 300) backoff.reset();
      return readRateSignal(response, backoffMs);
    },
    classifyError: (response, now) => {
      const classified = classifyError(response, now, backoffMs);
      if (classified.problem.kind === 'quota_exhausted') quota.markExhausted(now);
      return classified;
    },
  };
}

export interface DownloadedFile {
  readonly bytes: Uint8Array;
  readonly contentType: string;
  /** Computed from the bytes received, and checked against the vendor's `x-checksum-sha256` when it sends one. */
  readonly checksumSha256: string;
}

/** Our extensions of CareCloud's API (not in its docs), as the capability memory names them. */
export const CARECLOUD_EXTENSIONS = Object.freeze({ uploadedBy: 'x-uploaded-by' });

export class CareCloudSource {
  readonly workspaceId: string;
  readonly bucketId: string;
  readonly maxUploadBytes: number;
  private readonly cacheTtlMs: number;
  private readonly pageSize: number;
  /** The bucket's size as the last list page reported it: whether one page can answer lookups by name. */
  private bucketTotal: number | undefined;

  private constructor(
    private readonly client: UpstreamClient,
    private readonly usage: MonthlyQuota,
    private readonly clock: Clock,
    options: Readonly<Resolved>,
    private readonly sftp: CareCloudSftpUploader | undefined,
    private readonly capabilities: Capabilities,
  ) {
    this.workspaceId = options.workspaceId;
    this.bucketId = options.bucketId;
    this.maxUploadBytes = options.maxUploadBytes;
    this.cacheTtlMs = options.cacheTtlMs;
    this.pageSize = options.pageSize;
  }

  /** The quota is counted in the core's quota store (in memory, or shared through Redis), per key. */
  static create(core: UpstreamCore, options: CareCloudOptions): CareCloudSource {
    const resolved = resolveCareCloudOptions(options);
    const quota = new MonthlyQuota(resolved.monthlyQuota, core.quotas, quotaName(resolved));
    const logger = core.logger;
    const sftp = resolved.sftp && new CareCloudSftpUploader(resolved.sftp, (fields, message) => logger?.warn(fields, message), () => core.clock.now());
    return new CareCloudSource(core.client(careCloudAdapter(resolved, quota)), quota, core.clock, resolved, sftp, core.capabilities);
  }

  get upstream(): UpstreamClient {
    return this.client;
  }

  /** This month's use of the quota as the gateway counted it; `now` defaults to the core's clock. */
  quota(now: number = this.clock.now()): Promise<QuotaStatus> {
    return this.usage.status(now);
  }

  /** The bucket's files, oldest first (the vendor's order); every page reports the total. */
  files(call: CallContext): PagedSource<StoredFile> {
    return {
      pageSize: this.pageSize,
      page: async (index) => toNativePage(await this.listPage(index, call), fileOf),
    };
  }

  /** One file's metadata without its bytes; null when the bucket has no such name. */
  async file(name: string, call: CallContext): Promise<StoredFile | null> {
    // No file can have such a name, so there is nothing to ask the vendor (and no quota to spend).
    if (fileNameProblem(name)) return null;
    const record = await this.fileRecord(name, call);
    return record ? toStoredFile(record) : null;
  }

  /** `cacheTtlMs` 0 reads past the cache, as a confirmation must. */
  private fileRecord(name: string, call: CallContext, cacheTtlMs = this.cacheTtlMs): Promise<CareCloudFile | null> {
    return this.client.requestOrNull<CareCloudFile>(
      { method: 'GET', path: this.filePath(name), query: CARECLOUD_METADATA_QUERY, cacheTtlMs, operation: 'getFile' },
      call,
    );
  }

  /**
   * Files by name, in key order: null for an unknown name, an Error for one that failed. The vendor has no
   * multi-get, but its first list page holds the whole bucket when the bucket is small: then two names or more
   * cost that one call (shared with any `files` list in flight or cached), and a name it lacks does not exist.
   * Names the page could not settle, or every name once a bucket is known to be larger than a page, cost one
   * metadata call each.
   */
  async filesByNames(names: readonly string[], call: CallContext): Promise<Array<StoredFile | null | Error>> {
    const valid = [...new Set(names)].filter((name) => !fileNameProblem(name));
    const byName = new Map<string, StoredFile | null | Error>();
    if (valid.length > 1 && (this.bucketTotal === undefined || this.bucketTotal <= this.pageSize)) {
      try {
        const page = await this.listPage(0, call);
        const wanted = new Set(valid);
        for (const record of page.Items) if (wanted.has(record.Name)) byName.set(record.Name, fileOf(record));
        if (page.Items.length >= page.TotalItems) for (const name of valid) if (!byName.has(name)) byName.set(name, null);
      } catch {
        // Looked up one by one below: each name then gets its own answer or its own error.
      }
    }
    await Promise.all(
      valid
        .filter((name) => !byName.has(name))
        .map(async (name) => byName.set(name, await this.file(name, call).catch((error: Error) => error))),
    );
    return names.map((name) => byName.get(name) ?? null);
  }

  private async listPage(index: number, call: CallContext): Promise<CareCloudFilePage> {
    const page = await this.client.request<CareCloudFilePage>(
      { method: 'GET', path: this.bucketPath(), query: { ...pageParams(index, this.pageSize) }, cacheTtlMs: this.cacheTtlMs, operation: 'listFiles' },
      call,
    );
    this.bucketTotal = page.TotalItems;
    return page;
  }

  /**
   * Stores `file` under its name, replacing any file of that name, over HTTPS (the default) or the SFTP drop.
   * HTTPS: the PUT replaces rather than creates, so it is idempotent and a 5xx may be retried; the body's SHA-256
   * goes along so the vendor refuses a corrupted body. SFTP: see ./sftp.ts; the stored file is then read back
   * over HTTPS. Either way a stored file that differs from what was sent is removed and reported as a failure,
   * so a broken upload is never left listed as complete.
   */
  async upload(file: NewFile, call: CallContext, transport: CareCloudTransport = 'https'): Promise<StoredFile> {
    const invalid = fileNameProblem(file.name);
    if (invalid) throw badInput('name', invalid);
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
    if (differences.length === 0) return toStoredFile(stored);
    const removed = await this.remove(file.name, call);
    throw new UpstreamError(
      VENDOR,
      { kind: 'server_error' },
      `CareCloud stored ${JSON.stringify(file.name)} with a different ${differences.join(', ')} than was sent; ` +
        (removed ? 'the stored copy was removed' : 'the stored copy could not be removed'),
    );
  }

  private async putByHttps(file: NewFile, checksumSha256: string, call: CallContext): Promise<CareCloudFile> {
    const headers: Record<string, string> = {
      [CARECLOUD_HEADERS.checksumSha256]: checksumSha256,
      // The documented way to name the destination; the path says the same for routes that read it from there.
      [CARECLOUD_HEADERS.workspaceOverride]: this.workspaceId,
      [CARECLOUD_HEADERS.bucketOverride]: this.bucketId,
    };
    if (file.uploadedById) {
      if ((await this.capabilities.support('carecloud', CARECLOUD_EXTENSIONS.uploadedBy)) === 'unsupported') {
        throw badInput('uploadedById', 'this CareCloud does not record an uploader (x-uploaded-by is not in its API); leave uploadedById out');
      }
      headers[CARECLOUD_HEADERS.uploadedBy] = file.uploadedById;
    }
    try {
      const stored = await this.client.request<CareCloudFile>(
        {
          method: 'PUT',
          path: this.filePath(file.name),
          bytes: { data: file.bytes, contentType: file.contentType || 'application/octet-stream' },
          headers,
          idempotent: true,
          operation: 'uploadFile',
        },
        call,
      );
      if (file.uploadedById) {
        // A server without the header stores the file and drops the uploader. The file is there and its
        // metadata is the vendor's truth (no uploader), so it is returned as stored; later uploads are refused.
        const kept = stored.UploadedBy === file.uploadedById;
        await this.capabilities.remember('carecloud', CARECLOUD_EXTENSIONS.uploadedBy, kept ? 'supported' : 'unsupported');
      }
      return stored;
    } finally {
      // Even a failed PUT may have replaced the file; no cached list or metadata may outlive it.
      await this.client.invalidate();
    }
  }

  /**
   * SFTP carries neither a content type nor an uploader: the drop guesses the one and records its own account
   * as the other, so an uploader is refused here rather than silently dropped.
   */
  private async putBySftp(file: NewFile, call: CallContext): Promise<CareCloudFile> {
    if (!this.sftp) {
      throw badInput('transport', 'SFTP uploads are not configured for CareCloud (set CARECLOUD_SFTP_HOST and its variables); use HTTPS');
    }
    if (file.uploadedById) throw badInput('uploadedById', 'an SFTP upload cannot record an uploader; leave uploadedById out or use HTTPS');
    // The upload is confirmed over HTTPS; with the quota gone it could not be, so nothing is sent at all.
    const now = this.clock.now();
    if (await this.usage.exhausted(now)) {
      const refusal = quotaRefusal(startOfNextMonth(now));
      throw new UpstreamError(VENDOR, refusal.problem, refusal.message, undefined, true);
    }
    try {
      await this.sftp.put({ workspaceId: this.workspaceId, bucketId: this.bucketId, name: file.name }, file.bytes, call.deadline);
    } finally {
      // As for a failed PUT: the rename may have happened even when the answer to it was lost.
      await this.client.invalidate();
    }
    const stored = await this.fileRecord(file.name, call, 0);
    if (stored) return stored;
    throw new UpstreamError(VENDOR, { kind: 'server_error' }, `CareCloud does not list ${JSON.stringify(file.name)} after its SFTP upload`);
  }

  /** A file's bytes; null when the bucket has no such name. */
  async download(name: string, call: CallContext): Promise<DownloadedFile | null> {
    if (fileNameProblem(name)) return null;
    let response: UpstreamResponse;
    try {
      // Not cached: files run to megabytes, and a cache would hold them as base64.
      response = await this.client.exchange(
        { method: 'GET', path: this.filePath(name), headers: { accept: '*/*' }, operation: 'downloadFile' },
        call,
      );
    } catch (error) {
      if (isProblem(error, 'not_found')) return null;
      throw error;
    }
    const checksumSha256 = sha256Hex(response.bytes);
    const announced = response.headers.get(CARECLOUD_HEADERS.checksumSha256)?.trim().toLowerCase();
    if (announced && announced !== checksumSha256) {
      throw new UpstreamError(
        VENDOR,
        { kind: 'server_error' },
        `CareCloud sent ${JSON.stringify(name)} with a checksum that does not match its bytes`,
        response.status,
      );
    }
    return {
      bytes: response.bytes,
      contentType: response.headers.get('content-type') ?? 'application/octet-stream',
      checksumSha256,
    };
  }

  /**
   * Deletes a file by name (`DELETE files/{workspaceId}/{bucketId}/{name}`). Sent at most once, retried only
   * after a throttle, like every write the caller asked for; a 404 is a not_found UpstreamError.
   */
  async deleteFile(name: string, call: CallContext): Promise<void> {
    const invalid = fileNameProblem(name);
    if (invalid) throw badInput('id', invalid);
    try {
      await this.client.exchange({ method: 'DELETE', path: this.filePath(name), idempotent: false, operation: 'deleteFile' }, call);
    } finally {
      await this.client.invalidate();
    }
  }

  /** Best effort: true when the file is gone afterwards. */
  private async remove(name: string, call: CallContext): Promise<boolean> {
    try {
      await this.client.exchange(
        { method: 'DELETE', path: this.filePath(name), idempotent: true, operation: 'deleteFile' },
        call,
      );
      return true;
    } catch (error) {
      return isProblem(error, 'not_found');
    } finally {
      await this.client.invalidate();
    }
  }

  private bucketPath(): string {
    return `files/${pathSegment(this.workspaceId)}/${pathSegment(this.bucketId)}`;
  }

  private filePath(name: string): string {
    return `${this.bucketPath()}/${pathSegment(name)}`;
  }
}

/** Refused before any call: the caller's input, not the vendor, is at fault. */
function badInput(field: string, message: string): UpstreamError {
  return new UpstreamError(
    VENDOR,
    { kind: 'bad_request', fieldErrors: { [field]: [message] }, vendorCode: undefined },
    message,
    undefined,
    true,
  );
}
