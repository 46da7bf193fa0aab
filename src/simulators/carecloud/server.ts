/**
 * A loopback CareCloud (MCT data sync) behind a simulated AWS API Gateway (vendors.md, "CareCloud"): `x-api-key`
 * auth, a per-key token bucket and monthly quota, the gateway's `{ message }` errors and `x-amzn-*` headers,
 * file upload/list/download/delete, and the documented appdata record operations.
 */
import { CARECLOUD_ERROR_MESSAGES, CARECLOUD_PREFIX } from '../../vendors/carecloud/wire.ts';
import { SimRouter, startSimServer, type SimFaults, type SimLogEntry } from '../http.ts';
import { hexId, guid, prng } from '../seed.ts';
import { error, gatewayError, missingToken } from './answers.ts';
import { createCareCloudGuard } from './guard.ts';
import {
  CareCloudLimiter,
  DEFAULT_CARECLOUD_LIMITS,
  validateLimits,
  type CareCloudLimits,
  type CareCloudUsage,
} from './limits.ts';
import { resolveOptions, type CareCloudCredentials, type CareCloudSimulatorOptions } from './options.ts';
import { registerAppDataRoutes } from './routes-appdata.ts';
import { registerFileRoutes } from './routes-files.ts';
import { startCareCloudSftp, type CareCloudSftpEndpoint, type CareCloudSftpServer } from './sftp.ts';
import { buildStore, type CareCloudStore } from './store.ts';
import { CARECLOUD_UNDOCUMENTED } from './undocumented.ts';

export { CARECLOUD_DEFAULT_BUCKET_IDS, CARECLOUD_DEFAULT_WORKSPACE_ID, CARECLOUD_DEFAULT_WORKSPACES } from './seed.ts';
export type { CareCloudStoredFile } from './seed.ts';
export { DEFAULT_CARECLOUD_LIMITS, type CareCloudLimits, type CareCloudUsage } from './limits.ts';
export {
  CARECLOUD_DEFAULT_MAX_FILE_BYTES,
  CARECLOUD_DEMO_CREDENTIALS,
  CARECLOUD_SFTP_DEMO_USERNAME,
  type CareCloudCredentials,
  type CareCloudSftpUser,
  type CareCloudSimulatorOptions,
} from './options.ts';
export { generateSshKeyPair, sftpFingerprint, type CareCloudSftpEndpoint, type CareCloudSftpLogEntry } from './sftp.ts';
export type { CareCloudStore } from './store.ts';

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
  /** The SFTP drop, when started with `sftp: true`: where it listens and the generated account's key. */
  readonly sftp: CareCloudSftpEndpoint | undefined;
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

  const newFileId = () => guid(ids).toLowerCase();

  const router = new SimRouter();
  registerFileRoutes(router, store, config, newFileId);
  registerAppDataRoutes(router, store, config.clock, () => hexId(ids));

  const { guard, decorate } = createCareCloudGuard(router, apiKeys, limiter);

  const server = await startSimServer({
    strict: options.strict ? CARECLOUD_UNDOCUMENTED : undefined,
    prefix: CARECLOUD_PREFIX,
    router,
    port: config.port,
    host: options.host,
    hooks: {
      guard,
      decorate,
      serverError: () => error(502, CARECLOUD_ERROR_MESSAGES.serverError),
      rateLimited: () => gatewayError(429, 'throttled'),
      notFound: missingToken,
    },
  });

  let sftp: CareCloudSftpServer | undefined;
  try {
    sftp = config.sftp ? await startCareCloudSftp(store, config, newFileId) : undefined;
  } catch (error) {
    await server.close();
    throw error;
  }

  return {
    baseUrl: server.baseUrl,
    credentials: config.credentials,
    workspaces: config.workspaces,
    faults: server.faults,
    log: server.log,
    store,
    limits,
    sftp: sftp?.endpoint,
    usage: (apiKey = config.credentials.apiKey) => limiter.usage(apiKey),
    close: async () => {
      await Promise.all([server.close(), sftp?.close()]);
    },
  };
}
