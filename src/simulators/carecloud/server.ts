/**
 * A loopback CareCloud (MCT data sync) behind a simulated AWS API Gateway (vendors.md, "CareCloud"): `x-api-key`
 * auth, a per-key token bucket and monthly quota, the gateway's `{ message }` errors and `x-amzn-*` headers,
 * file upload/list/download/delete, and the documented appdata record operations.
 */
import { randomUUID } from 'node:crypto';
import {
  CARECLOUD_DEFAULT_PAGE_SIZE,
  CARECLOUD_ERROR_MESSAGES,
  CARECLOUD_ERROR_TYPES,
  CARECLOUD_HEADERS,
  CARECLOUD_MAX_PAGE_SIZE,
  CARECLOUD_METADATA_QUERY,
  CARECLOUD_PREFIX,
  type CareCloudAppDataRecord,
  type CareCloudErrorBody,
  type CareCloudFile,
  type CareCloudJson,
  type CareCloudPage,
} from '../../vendors/carecloud/wire.ts';
import {
  SimRouter,
  startSimServer,
  type SimFaults,
  type SimLogEntry,
  type SimRequest,
  type SimResponse,
} from '../http.ts';
import { hexId, guid, prng } from '../seed.ts';
import {
  CareCloudLimiter,
  DEFAULT_CARECLOUD_LIMITS,
  validateLimits,
  type CareCloudLimits,
  type CareCloudUsage,
} from './limits.ts';
import {
  CARECLOUD_DEFAULT_WORKSPACES,
  seedCareCloudFiles,
  sha256Hex,
  type CareCloudStoredFile,
} from './seed.ts';

export { CARECLOUD_DEFAULT_BUCKET_IDS, CARECLOUD_DEFAULT_WORKSPACE_ID, CARECLOUD_DEFAULT_WORKSPACES } from './seed.ts';
export type { CareCloudStoredFile } from './seed.ts';
export { DEFAULT_CARECLOUD_LIMITS, type CareCloudLimits, type CareCloudUsage } from './limits.ts';

export interface CareCloudCredentials {
  readonly apiKey: string;
}

/** Deterministic so tests, the demo and `npm run simulate` agree without configuration. */
export const CARECLOUD_DEMO_CREDENTIALS: CareCloudCredentials = Object.freeze({
  apiKey: 'ccdemo-7Qx2LmV9pR4sT8wZ1yB6nK3hJ5',
});

export const CARECLOUD_DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;

export interface CareCloudSimulatorOptions {
  /** Default 0: a free port. */
  readonly port?: number;
  /** The key the simulator accepts. Default CARECLOUD_DEMO_CREDENTIALS. */
  readonly credentials?: CareCloudCredentials;
  /** More accepted keys, each with its own bucket and quota (usage plans limit per key). Default none. */
  readonly extraApiKeys?: readonly string[];
  /** Starting limits; the returned `limits` object stays live. Default DEFAULT_CARECLOUD_LIMITS. */
  readonly limits?: Partial<CareCloudLimits>;
  /** PRNG seed for seed data and generated ids. Default 1. */
  readonly seed?: number;
  /** Files seeded into the first bucket of the first workspace. Default 40. */
  readonly fileCount?: number;
  /** Workspace id -> its bucket ids; anything else is 404. Default CARECLOUD_DEFAULT_WORKSPACES. */
  readonly workspaces?: Readonly<Record<string, readonly string[]>>;
  /** User ids seeded files name as `UploadedBy`. Default: a few generated ids. */
  readonly uploaderIds?: readonly string[];
  /** Larger uploads answer 413. Default CARECLOUD_DEFAULT_MAX_FILE_BYTES (10 MiB). */
  readonly maxFileBytes?: number;
  /** Epoch ms, for the token bucket, the quota month and timestamps. Default Date.now. */
  readonly clock?: () => number;
}

/** What the simulator holds; tests may read and change it directly. */
export interface CareCloudStore {
  /** Workspace id -> bucket id -> file name -> file. A bucket exists exactly when its map does. */
  readonly files: Map<string, Map<string, Map<string, CareCloudStoredFile>>>;
  /** Entity name -> record id -> record. Tables appear on first create. */
  readonly appdata: Map<string, Map<string, CareCloudAppDataRecord>>;
}

export interface CareCloudSimulator {
  /** Origin plus the API Gateway stage, e.g. `http://127.0.0.1:4104/prod`. */
  readonly baseUrl: string;
  readonly credentials: CareCloudCredentials;
  readonly workspaces: Readonly<Record<string, readonly string[]>>;
  readonly faults: SimFaults;
  readonly log: SimLogEntry[];
  readonly store: CareCloudStore;
  /** Live: mutating a field changes the next request's decision. */
  readonly limits: CareCloudLimits;
  /** This month's quota use for a key. Default: the primary key. */
  usage(apiKey?: string): CareCloudUsage;
  close(): Promise<void>;
}

export async function startCareCloudSimulator(options: CareCloudSimulatorOptions = {}): Promise<CareCloudSimulator> {
  const config = resolveOptions(options);
  const limits: CareCloudLimits = { ...DEFAULT_CARECLOUD_LIMITS, ...options.limits };
  validateLimits(limits);
  const limiter = new CareCloudLimiter(limits, config.clock);
  const apiKeys = new Set([config.credentials.apiKey, ...config.extraApiKeys]);
  const store = buildStore(config);
  // Kept apart from the seed stream so generated ids do not depend on how many records were seeded.
  const ids = prng(config.seed + 0x5eed);

  const router = new SimRouter();
  registerFileRoutes(router, store, config, () => guid(ids).toLowerCase());
  registerAppDataRoutes(router, store, config.clock, () => hexId(ids));

  // Requests the limiter counted, so that an injected 429 (which the guard cannot see coming) is refunded: the
  // gateway never counts a throttled call against the quota. Keyed by the headers object, the one thing the
  // guard and decorate hooks share for a request.
  const counted = new WeakMap<object, { apiKey: string; month: string }>();

  const server = await startSimServer({
    prefix: CARECLOUD_PREFIX,
    router,
    port: config.port,
    hooks: {
      guard: (req) => {
        // API Gateway matches the route before it looks at the key, so an unknown path never says Forbidden.
        if (!router.match(req.method, req.path)) return missingToken();
        const apiKey = header(req, CARECLOUD_HEADERS.apiKey);
        if (apiKey === undefined || !apiKeys.has(apiKey)) return forbidden();
        const admission = limiter.admit(apiKey);
        switch (admission.kind) {
          case 'quota_exceeded':
            return gatewayError(429, 'quotaExceeded');
          case 'throttled':
            return gatewayError(429, 'throttled');
          case 'allowed':
            counted.set(req.headers, { apiKey, month: admission.month });
            return undefined;
        }
      },
      decorate: (req, res) => {
        const admitted = counted.get(req.headers);
        counted.delete(req.headers);
        if (admitted && res.status === 429) limiter.refund(admitted.apiKey, admitted.month);
        return { 'x-amzn-RequestId': randomUUID() };
      },
      serverError: () => error(502, CARECLOUD_ERROR_MESSAGES.serverError),
      rateLimited: () => gatewayError(429, 'throttled'),
      notFound: missingToken,
    },
  });

  return {
    baseUrl: server.baseUrl,
    credentials: config.credentials,
    workspaces: config.workspaces,
    faults: server.faults,
    log: server.log,
    store,
    limits,
    usage: (apiKey = config.credentials.apiKey) => limiter.usage(apiKey),
    close: () => server.close(),
  };
}

interface ResolvedOptions {
  readonly port: number;
  readonly credentials: CareCloudCredentials;
  readonly extraApiKeys: readonly string[];
  readonly seed: number;
  readonly fileCount: number;
  readonly workspaces: Readonly<Record<string, readonly string[]>>;
  readonly uploaderIds: readonly string[];
  readonly maxFileBytes: number;
  readonly clock: () => number;
}

function resolveOptions(options: CareCloudSimulatorOptions): ResolvedOptions {
  const resolved: ResolvedOptions = {
    port: options.port ?? 0,
    credentials: options.credentials ?? CARECLOUD_DEMO_CREDENTIALS,
    extraApiKeys: options.extraApiKeys ?? [],
    seed: options.seed ?? 1,
    fileCount: options.fileCount ?? 40,
    workspaces: options.workspaces ?? CARECLOUD_DEFAULT_WORKSPACES,
    uploaderIds: options.uploaderIds ?? [],
    maxFileBytes: options.maxFileBytes ?? CARECLOUD_DEFAULT_MAX_FILE_BYTES,
    clock: options.clock ?? Date.now,
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
  const first = Object.entries(resolved.workspaces)[0];
  if (resolved.fileCount > 0 && (first === undefined || first[1].length === 0)) {
    throw new Error('expected workspaces to hold at least one workspace with a bucket to seed files into, got none');
  }
  return { ...resolved, workspaces: Object.freeze(Object.fromEntries(Object.entries(resolved.workspaces))) };
}

function buildStore(config: ResolvedOptions): CareCloudStore {
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

// ---- files (our choice of operations; vendors.md) ----

function registerFileRoutes(
  router: SimRouter,
  store: CareCloudStore,
  config: ResolvedOptions,
  newFileId: () => string,
): void {
  const bucketOf = (workspaceId: string | undefined, bucketId: string | undefined) =>
    workspaceId === undefined || bucketId === undefined ? undefined : store.files.get(workspaceId)?.get(bucketId);

  router.on('PUT', 'files/:workspaceId/:bucketId/:name', (req) => {
    // The documented override headers name the destination for clients that cannot put ids in the path.
    const workspaceId = header(req, CARECLOUD_HEADERS.workspaceOverride) ?? req.params.workspaceId;
    const bucketId = header(req, CARECLOUD_HEADERS.bucketOverride) ?? req.params.bucketId;
    const name = req.params.name ?? '';
    const bucket = bucketOf(workspaceId, bucketId);
    if (!bucket || workspaceId === undefined || bucketId === undefined) return notFound();

    const declared = header(req, 'content-length');
    const declaredBytes = declared === undefined ? undefined : Number(declared);
    if (req.rawBody.length > config.maxFileBytes || (declaredBytes ?? 0) > config.maxFileBytes) {
      return error(413, CARECLOUD_ERROR_MESSAGES.tooLarge);
    }
    // A body shorter or longer than announced is a broken upload; storing it would list a corrupt file.
    if (declaredBytes !== undefined && declaredBytes !== req.rawBody.length) {
      return error(400, 'Content-Length does not match the body received');
    }
    const checksum = sha256Hex(req.rawBody);
    const expected = header(req, CARECLOUD_HEADERS.checksumSha256);
    if (expected !== undefined && expected.trim().toLowerCase() !== checksum) {
      return error(400, CARECLOUD_ERROR_MESSAGES.checksumMismatch);
    }

    const now = new Date(config.clock()).toISOString();
    const previous = bucket.get(name)?.meta;
    const meta: CareCloudFile = {
      FileId: previous?.FileId ?? newFileId(),
      Name: name,
      Size: req.rawBody.length,
      ContentType: header(req, 'content-type') ?? 'application/octet-stream',
      ChecksumSha256: checksum,
      WorkspaceId: workspaceId,
      BucketId: bucketId,
      UploadedBy: header(req, CARECLOUD_HEADERS.uploadedBy) ?? null,
      CreatedAt: previous?.CreatedAt ?? now,
      ModifiedAt: now,
      Status: 'complete',
    };
    // Copied so a caller reusing its buffer cannot change what was stored.
    bucket.set(name, { meta, bytes: Buffer.from(req.rawBody) });
    return { status: 201, body: meta };
  });

  router.on('GET', 'files/:workspaceId/:bucketId', (req) => {
    const bucket = bucketOf(req.params.workspaceId, req.params.bucketId);
    if (!bucket) return notFound();
    const files = [...bucket.values()].map((file) => file.meta).sort(byCreatedThenId);
    return page(req, files);
  });

  router.on('GET', 'files/:workspaceId/:bucketId/:name', (req) => {
    const file = bucketOf(req.params.workspaceId, req.params.bucketId)?.get(req.params.name ?? '');
    if (!file) return notFound();
    if (req.query.get('metadata') === CARECLOUD_METADATA_QUERY.metadata) return { status: 200, body: file.meta };
    return {
      status: 200,
      headers: {
        'content-type': file.meta.ContentType,
        'content-length': String(file.bytes.length),
        [CARECLOUD_HEADERS.checksumSha256]: file.meta.ChecksumSha256,
      },
      body: file.bytes,
    };
  });

  router.on('DELETE', 'files/:workspaceId/:bucketId/:name', (req) => {
    const bucket = bucketOf(req.params.workspaceId, req.params.bucketId);
    if (!bucket?.delete(req.params.name ?? '')) return notFound();
    return { status: 204 };
  });
}

function byCreatedThenId(a: CareCloudFile, b: CareCloudFile): number {
  if (a.CreatedAt !== b.CreatedAt) return a.CreatedAt < b.CreatedAt ? -1 : 1;
  return a.FileId < b.FileId ? -1 : a.FileId > b.FileId ? 1 : 0;
}

// ---- appdata records (operations documented; record layout our choice) ----

const ENTITY_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

function registerAppDataRoutes(
  router: SimRouter,
  store: CareCloudStore,
  clock: () => number,
  newRecordId: () => string,
): void {
  const table = (entity: string) => {
    let rows = store.appdata.get(entity);
    if (!rows) {
      rows = new Map();
      store.appdata.set(entity, rows);
    }
    return rows;
  };
  const entityOf = (req: SimRequest) => {
    const entity = req.params.entity ?? '';
    return ENTITY_NAME.test(entity) ? entity : undefined;
  };

  router.on('POST', 'appdata/:entity/create', (req) => {
    const entity = entityOf(req);
    if (!entity) return error(400, 'Invalid entity name');
    const body = readJsonObject(req);
    if (!body) return error(400, 'Invalid request body: expected a JSON object');
    const data = body.Data;
    if (!isJsonObject(data)) return error(400, 'Invalid request body: Data must be an object');
    if (body.Id !== undefined && (typeof body.Id !== 'string' || body.Id === '')) {
      return error(400, 'Invalid request body: Id must be a non-empty string');
    }
    const rows = table(entity);
    const id = body.Id ?? newRecordId();
    if (rows.has(id)) return error(409, 'Record already exists');
    const now = new Date(clock()).toISOString();
    const record: CareCloudAppDataRecord = { Id: id, Entity: entity, CreatedAt: now, ModifiedAt: now, Data: data };
    rows.set(id, record);
    return { status: 201, body: record };
  });

  router.on('PUT', 'appdata/:entity/update', (req) => {
    const entity = entityOf(req);
    if (!entity) return error(400, 'Invalid entity name');
    const body = readJsonObject(req);
    if (!body || typeof body.Id !== 'string' || !isJsonObject(body.Data)) {
      return error(400, 'Invalid request body: expected { Id, Data }');
    }
    const current = store.appdata.get(entity)?.get(body.Id);
    if (!current) return notFound();
    const record: CareCloudAppDataRecord = {
      ...current,
      ModifiedAt: new Date(clock()).toISOString(),
      Data: { ...current.Data, ...body.Data },
    };
    table(entity).set(record.Id, record);
    return { status: 200, body: record };
  });

  router.on('GET', 'appdata/:entity/retrieve', (req) => {
    const entity = entityOf(req);
    if (!entity) return error(400, 'Invalid entity name');
    const rows = store.appdata.get(entity) ?? new Map<string, CareCloudAppDataRecord>();
    const id = req.query.get('Id');
    if (id !== null) {
      const record = rows.get(id);
      return record ? { status: 200, body: record } : notFound();
    }
    return page(req, [...rows.values()]);
  });

  router.on('DELETE', 'appdata/:entity/delete', (req) => {
    const entity = entityOf(req);
    if (!entity) return error(400, 'Invalid entity name');
    const id = req.query.get('Id');
    if (id === null) return error(400, 'Missing required query parameter Id');
    if (!store.appdata.get(entity)?.delete(id)) return notFound();
    return { status: 204 };
  });
}

function readJsonObject(req: SimRequest): { [key: string]: CareCloudJson } | undefined {
  try {
    const parsed: unknown = JSON.parse(req.rawBody.toString('utf8'));
    return isJsonObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Only ever given JSON.parse output, so a plain object's values are JSON too. */
function isJsonObject(value: unknown): value is { [key: string]: CareCloudJson } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---- shared answers ----

function page<T>(req: SimRequest, items: readonly T[]): SimResponse {
  const pageNo = positiveInt(req.query.get('page'), 1);
  const pageSize = positiveInt(req.query.get('pageSize'), CARECLOUD_DEFAULT_PAGE_SIZE);
  if (pageNo === undefined) return error(400, 'Invalid request: page must be an integer >= 1');
  if (pageSize === undefined || pageSize > CARECLOUD_MAX_PAGE_SIZE) {
    return error(400, `Invalid request: pageSize must be an integer from 1 to ${CARECLOUD_MAX_PAGE_SIZE}`);
  }
  const body: CareCloudPage<T> = {
    Items: items.slice((pageNo - 1) * pageSize, pageNo * pageSize),
    Page: pageNo,
    PageSize: pageSize,
    TotalItems: items.length,
  };
  return { status: 200, body };
}

function positiveInt(raw: string | null, fallback: number): number | undefined {
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw)) return undefined;
  const value = Number(raw);
  return value >= 1 ? value : undefined;
}

function header(req: SimRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function error(status: number, message: string, headers?: Record<string, string>): SimResponse {
  const body: CareCloudErrorBody = { message };
  return headers ? { status, headers, body } : { status, body };
}

/** An answer API Gateway makes itself; those carry `x-amzn-ErrorType` and never a Retry-After. */
function gatewayError(status: number, kind: keyof typeof CARECLOUD_ERROR_TYPES): SimResponse {
  return error(status, CARECLOUD_ERROR_MESSAGES[kind], { 'x-amzn-ErrorType': CARECLOUD_ERROR_TYPES[kind] });
}

function forbidden(): SimResponse {
  return gatewayError(403, 'forbidden');
}

function missingToken(): SimResponse {
  return gatewayError(403, 'missingToken');
}

function notFound(): SimResponse {
  return error(404, CARECLOUD_ERROR_MESSAGES.notFound);
}
