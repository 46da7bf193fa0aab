/**
 * What a CareCloud simulator can be told at start: the options, their defaults, and the checks that refuse a
 * bad one with a message naming what was expected and what arrived. Limits are checked in ./limits.ts.
 */
import type { CareCloudLimits } from './limits.ts';
import { CARECLOUD_DEFAULT_WORKSPACES } from './seed.ts';

export interface CareCloudCredentials {
  readonly apiKey: string;
}

/** Deterministic so tests, the demo and `npm run simulate` agree without configuration. */
export const CARECLOUD_DEMO_CREDENTIALS: CareCloudCredentials = Object.freeze({
  apiKey: 'ccdemo-7Qx2LmV9pR4sT8wZ1yB6nK3hJ5',
});

export const CARECLOUD_DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;

/** The SFTP account the simulator makes at start, with a key pair generated then. */
export const CARECLOUD_SFTP_DEMO_USERNAME = 'carecloud-demo';

/** An account the SFTP drop accepts besides the generated one. */
export interface CareCloudSftpUser {
  readonly username: string;
  /** Its public key as an OpenSSH line (`ssh-ed25519 AAAA...`); public-key auth is the only kind accepted. */
  readonly publicKey: string;
  /** Recorded as `UploadedBy` on this account's uploads. Default null: SFTP drops name no user. */
  readonly uploadedBy?: string | null;
}

export interface CareCloudSimulatorOptions {
  /** Default 0: a free port. */
  readonly port?: number;
  /** Address to listen on. Default 127.0.0.1: loopback only (the compose file's simulators service says 0.0.0.0). */
  readonly host?: string;
  /** Serve only what the vendor documents (undocumented.ts says what goes and how). Default false. */
  readonly strict?: boolean;
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
  /** Also run the SFTP drop (./sftp.ts) on a loopback port. Default false. */
  readonly sftp?: boolean;
  /** The SFTP drop's port. Default 0: a free one. */
  readonly sftpPort?: number;
  /** SFTP accounts accepted besides the generated `CARECLOUD_SFTP_DEMO_USERNAME`. Default none. */
  readonly sftpUsers?: readonly CareCloudSftpUser[];
}

export interface ResolvedOptions {
  readonly port: number;
  readonly credentials: CareCloudCredentials;
  readonly extraApiKeys: readonly string[];
  readonly seed: number;
  readonly fileCount: number;
  readonly workspaces: Readonly<Record<string, readonly string[]>>;
  readonly uploaderIds: readonly string[];
  readonly maxFileBytes: number;
  readonly clock: () => number;
  readonly sftp: boolean;
  readonly sftpPort: number;
  readonly sftpUsers: readonly CareCloudSftpUser[];
}

export function resolveOptions(options: CareCloudSimulatorOptions): ResolvedOptions {
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
    sftp: options.sftp ?? false,
    sftpPort: options.sftpPort ?? 0,
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
