/**
 * The only reader of process.env. Validated once with zod, frozen, with messages that say what was
 * expected and what arrived. Secrets are read here and handed to the vendor that needs them; they are
 * never logged (see logger.ts redaction) nor put in errors.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const int = (name: string, fallback: number, min: number, max: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === '') return fallback;
      const n = Number(value);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `expected ${name} to be a whole number from ${min} to ${max}, got "${value}"` });
        return z.NEVER;
      }
      return n;
    });

const bool = (name: string, fallback: boolean) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === '') return fallback;
      const known: Record<string, boolean> = { true: true, '1': true, yes: true, false: false, '0': false, no: false };
      const flag = known[value.toLowerCase()];
      if (flag === undefined) {
        ctx.addIssue({ code: 'custom', message: `expected ${name} to be true or false (or 1/0, yes/no), got "${value}"` });
        return z.NEVER;
      }
      return flag;
    });

/**
 * Comma-separated `whsec_<base64>` secrets (several while one is rotated out). A wrong entry is named by its
 * position and length, never by its content.
 */
const webhookSecrets = (name: string) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      const entries = (value ?? '').split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
      entries.forEach((entry, index) => {
        if (!/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(entry)) {
          ctx.addIssue({
            code: 'custom',
            message: `expected ${name} entry ${index + 1} to be whsec_ followed by base64, got ${entry.length} characters of something else`,
          });
        }
      });
      return Object.freeze(entries);
    });

const schema = z.object({
  PORT: int('PORT', 4000, 0, 65535),
  HOST: optionalText,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  REQUEST_TIMEOUT_MS: int('REQUEST_TIMEOUT_MS', 15_000, 100, 600_000),
  UPSTREAM_TIMEOUT_MS: int('UPSTREAM_TIMEOUT_MS', 10_000, 100, 600_000),
  CACHE_TTL_MS: int('CACHE_TTL_MS', 5_000, 0, 3_600_000),
  CURSOR_SECRET: optionalText,
  CAREHQ_BASE_URL: optionalText,
  CAREHQ_ACCOUNT_ID: optionalText,
  CAREHQ_API_KEY: optionalText,
  CAREHQ_API_SECRET: optionalText,
  CAREHQ_REQUESTS_PER_SECOND: int('CAREHQ_REQUESTS_PER_SECOND', 10, 1, 10_000),
  PUBLIC_URL: optionalText,
  REDIS_URL: optionalText,
  CLINICEA_BASE_URL: optionalText,
  CLINICEA_API_KEY: optionalText,
  CLINICEA_USERNAME: optionalText,
  CLINICEA_PASSWORD: optionalText,
  CLINICEA_REQUESTS_PER_SECOND: int('CLINICEA_REQUESTS_PER_SECOND', 5, 1, 10_000),
  CLINICEA_FIRST_PAGE_NUMBER: int('CLINICEA_FIRST_PAGE_NUMBER', 0, 0, 1),
  CASEWARE_BASE_URL: optionalText,
  CASEWARE_CLIENT_ID: optionalText,
  CASEWARE_CLIENT_SECRET: optionalText,
  CARECLOUD_BASE_URL: optionalText,
  CARECLOUD_API_KEY: optionalText,
  CARECLOUD_WORKSPACE_ID: optionalText,
  CARECLOUD_BUCKET_ID: optionalText,
  CARECLOUD_RATE_PER_SECOND: int('CARECLOUD_RATE_PER_SECOND', 10, 1, 100_000),
  CARECLOUD_BURST: int('CARECLOUD_BURST', 20, 1, 100_000),
  CARECLOUD_MONTHLY_QUOTA: int('CARECLOUD_MONTHLY_QUOTA', 10_000, 1, 1_000_000_000),
  CARECLOUD_SFTP_HOST: optionalText,
  CARECLOUD_SFTP_PORT: int('CARECLOUD_SFTP_PORT', 22, 1, 65535),
  CARECLOUD_SFTP_USERNAME: optionalText,
  CARECLOUD_SFTP_KEY_FILE: optionalText,
  CARECLOUD_SFTP_PRIVATE_KEY: optionalText,
  CARECLOUD_SFTP_HOST_KEY_SHA256: optionalText,
  GENERIC_BASE_URL: optionalText,
  GENERIC_TOKEN_URL: optionalText,
  GENERIC_CLIENT_ID: optionalText,
  GENERIC_CLIENT_SECRET: optionalText,
  GENERIC_WEBHOOK_SECRET: webhookSecrets('GENERIC_WEBHOOK_SECRET'),
  METRICS_ENABLED: bool('METRICS_ENABLED', true),
});

/** A vendor either runs against its real API (all credentials set) or against the built-in simulator. */
export type VendorMode<C> = { readonly mode: 'simulator' } | { readonly mode: 'live'; readonly baseUrl: string; readonly credentials: C };

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly logLevel: string;
  readonly requestTimeoutMs: number;
  readonly upstreamTimeoutMs: number;
  readonly cacheTtlMs: number;
  readonly cursorSecret: string | undefined;
  /** The origin clients reach this gateway at, for URLs it hands out; default: the request's Host. */
  readonly publicUrl: string | undefined;
  /** Where replicas share rate budgets; unset keeps them in this process's memory. */
  readonly redisUrl: string | undefined;
  readonly carehq: {
    readonly target: VendorMode<{ accountId: string; apiKey: string; apiSecret: string }>;
    readonly requestsPerSecond: number;
  };
  readonly clinicea: {
    readonly target: VendorMode<{ apiKey: string }>;
    /**
     * `header`: the key in the `api` header (default). `token`: CLINICEA_USERNAME and CLINICEA_PASSWORD are set,
     * and the key is traded for an hour-long token at login. Live only: the simulator takes the header key.
     */
    readonly auth: CliniceaAuthConfig;
    readonly requestsPerSecond: number;
    readonly firstPageNumber: 0 | 1;
  };
  readonly caseware: { readonly target: VendorMode<{ clientId: string; clientSecret: string }> };
  readonly carecloud: {
    readonly target: VendorMode<{ apiKey: string; workspaceId: string; bucketId: string }>;
    readonly ratePerSecond: number;
    readonly burst: number;
    readonly monthlyQuota: number;
    /** CareCloud's SFTP drop, for uploads with transport SFTP; undefined when not configured. */
    readonly sftp: CareCloudSftpConfig | undefined;
  };
  readonly generic: {
    readonly target: VendorMode<{ tokenUrl: string; clientId: string; clientSecret: string }>;
    /** Accepted webhook signing secrets, newest first by convention; empty: none configured. */
    readonly webhookSecrets: readonly string[];
  };
  /** Prometheus metrics at /metrics. */
  readonly metricsEnabled: boolean;
}

export type CliniceaAuthConfig =
  | { readonly kind: 'header' }
  | { readonly kind: 'token'; readonly username: string; readonly password: string };

export interface CareCloudSftpConfig {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  /** The key itself, read from CARECLOUD_SFTP_KEY_FILE or given as CARECLOUD_SFTP_PRIVATE_KEY. */
  readonly privateKey: string;
  /** `SHA256:...` as `ssh-keygen -l` prints it; unset: the gateway pins the first key it sees and warns. */
  readonly hostKeySha256: string | undefined;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** All of a vendor's variables, or none of them (simulator); anything in between is a mistake. */
function vendorMode<C>(
  vendor: string,
  baseUrl: string | undefined,
  fields: Record<string, string | undefined>,
  build: (values: Record<string, string>) => C,
): VendorMode<C> {
  const names = Object.keys(fields);
  const missing = names.filter((name) => fields[name] === undefined);
  if (missing.length === names.length && baseUrl === undefined) return { mode: 'simulator' };
  if (missing.length > 0) {
    throw new ConfigError(`expected ${missing.join(', ')} to be set for ${vendor} (or none of its variables, for the simulator), got nothing`);
  }
  if (baseUrl === undefined) throw new ConfigError(`expected ${vendor.toUpperCase()}_BASE_URL to be set with its credentials, got nothing`);
  try {
    new URL(baseUrl);
  } catch {
    throw new ConfigError(`expected ${vendor.toUpperCase()}_BASE_URL to be a URL, got "${baseUrl}"`);
  }
  return { mode: 'live', baseUrl, credentials: build(fields as Record<string, string>) };
}

type Parsed = z.infer<typeof schema>;

/** CLINICEA_USERNAME and CLINICEA_PASSWORD together (token login against the live API), or neither. */
function cliniceaAuth(e: Parsed, live: boolean): CliniceaAuthConfig {
  const { CLINICEA_USERNAME: username, CLINICEA_PASSWORD: password } = e;
  if (username === undefined && password === undefined) return { kind: 'header' };
  if (username === undefined || password === undefined) {
    const [missing, given] = username === undefined ? ['CLINICEA_USERNAME', 'CLINICEA_PASSWORD'] : ['CLINICEA_PASSWORD', 'CLINICEA_USERNAME'];
    throw new ConfigError(`expected ${missing} to be set with ${given} (token login needs both, or neither for the api header key), got nothing`);
  }
  if (!live) {
    throw new ConfigError(
      'expected CLINICEA_BASE_URL and CLINICEA_API_KEY to be set with CLINICEA_USERNAME and CLINICEA_PASSWORD (the login trades the key for a token; the simulator takes the api header key), got nothing',
    );
  }
  return Object.freeze({ kind: 'token', username, password });
}

/**
 * CareCloud's SFTP drop: host, username and one key source together, or none of its variables. SFTP uploads
 * are confirmed over the HTTPS API, so they need CareCloud's live API as well. The key is checked for its
 * PEM armour only (ssh2 parses it when the source is built) and is never quoted.
 */
function careCloudSftp(
  e: Parsed,
  env: NodeJS.ProcessEnv,
  live: boolean,
  readKeyFile: (path: string) => string,
): CareCloudSftpConfig | undefined {
  const given = {
    CARECLOUD_SFTP_HOST: e.CARECLOUD_SFTP_HOST,
    CARECLOUD_SFTP_PORT: env.CARECLOUD_SFTP_PORT?.trim() || undefined,
    CARECLOUD_SFTP_USERNAME: e.CARECLOUD_SFTP_USERNAME,
    CARECLOUD_SFTP_KEY_FILE: e.CARECLOUD_SFTP_KEY_FILE,
    CARECLOUD_SFTP_PRIVATE_KEY: e.CARECLOUD_SFTP_PRIVATE_KEY,
    CARECLOUD_SFTP_HOST_KEY_SHA256: e.CARECLOUD_SFTP_HOST_KEY_SHA256,
  };
  if (Object.values(given).every((value) => value === undefined)) return undefined;
  const missing: string[] = (['CARECLOUD_SFTP_HOST', 'CARECLOUD_SFTP_USERNAME'] as const).filter((name) => given[name] === undefined);
  const keyFile = e.CARECLOUD_SFTP_KEY_FILE;
  const inlineKey = e.CARECLOUD_SFTP_PRIVATE_KEY;
  if (keyFile === undefined && inlineKey === undefined) missing.push('CARECLOUD_SFTP_KEY_FILE or CARECLOUD_SFTP_PRIVATE_KEY');
  const host = e.CARECLOUD_SFTP_HOST;
  const username = e.CARECLOUD_SFTP_USERNAME;
  if (missing.length > 0 || host === undefined || username === undefined) {
    throw new ConfigError(`expected ${missing.join(', ')} to be set for CareCloud SFTP (or none of its variables), got nothing`);
  }
  if (keyFile !== undefined && inlineKey !== undefined) {
    throw new ConfigError('expected one of CARECLOUD_SFTP_KEY_FILE and CARECLOUD_SFTP_PRIVATE_KEY, got both');
  }
  if (!live) {
    throw new ConfigError(
      'expected CARECLOUD_BASE_URL, CARECLOUD_API_KEY, CARECLOUD_WORKSPACE_ID and CARECLOUD_BUCKET_ID to be set with CARECLOUD_SFTP_HOST (SFTP uploads are confirmed over the HTTPS API), got nothing',
    );
  }
  const fingerprint = e.CARECLOUD_SFTP_HOST_KEY_SHA256?.replace(/^SHA256:/i, '').replace(/=+$/, '');
  if (fingerprint !== undefined && !/^[A-Za-z0-9+/]{43}$/.test(fingerprint)) {
    throw new ConfigError(
      `expected CARECLOUD_SFTP_HOST_KEY_SHA256 to be SHA256: and 43 base64 characters (as ssh-keygen -lf prints it), got "${e.CARECLOUD_SFTP_HOST_KEY_SHA256 ?? ''}"`,
    );
  }
  let privateKey: string;
  if (keyFile !== undefined) {
    try {
      privateKey = readKeyFile(keyFile);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw new ConfigError(`expected CARECLOUD_SFTP_KEY_FILE to name a readable file, got "${keyFile}" (${typeof code === 'string' ? code : 'unreadable'})`);
    }
  } else {
    // A key pasted into one line of an env file keeps its line breaks as `\n`.
    privateKey = (inlineKey ?? '').replace(/\\n/g, '\n');
  }
  if (!/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(privateKey)) {
    const source = keyFile === undefined ? 'CARECLOUD_SFTP_PRIVATE_KEY' : 'CARECLOUD_SFTP_KEY_FILE';
    throw new ConfigError(`expected ${source} to hold a private key (-----BEGIN ... PRIVATE KEY-----), got ${privateKey.length} characters of something else`);
  }
  return Object.freeze({
    host,
    port: e.CARECLOUD_SFTP_PORT,
    username,
    privateKey,
    hostKeySha256: fingerprint === undefined ? undefined : `SHA256:${fingerprint}`,
  });
}

/** `readKeyFile` reads CARECLOUD_SFTP_KEY_FILE; tests pass their own. */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  readKeyFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('\n'));
  }
  const e = parsed.data;
  if (e.CURSOR_SECRET !== undefined && e.CURSOR_SECRET.length < 16) {
    throw new ConfigError(`expected CURSOR_SECRET to have at least 16 characters, got ${e.CURSOR_SECRET.length}`);
  }
  const carecloudTarget = vendorMode(
    'carecloud',
    e.CARECLOUD_BASE_URL,
    { CARECLOUD_API_KEY: e.CARECLOUD_API_KEY, CARECLOUD_WORKSPACE_ID: e.CARECLOUD_WORKSPACE_ID, CARECLOUD_BUCKET_ID: e.CARECLOUD_BUCKET_ID },
    (v) => ({ apiKey: v.CARECLOUD_API_KEY ?? '', workspaceId: v.CARECLOUD_WORKSPACE_ID ?? '', bucketId: v.CARECLOUD_BUCKET_ID ?? '' }),
  );
  const cliniceaTarget = vendorMode('clinicea', e.CLINICEA_BASE_URL, { CLINICEA_API_KEY: e.CLINICEA_API_KEY }, (v) => ({
    apiKey: v.CLINICEA_API_KEY ?? '',
  }));
  return Object.freeze({
    port: e.PORT,
    host: e.HOST ?? '127.0.0.1',
    logLevel: e.LOG_LEVEL,
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    upstreamTimeoutMs: e.UPSTREAM_TIMEOUT_MS,
    cacheTtlMs: e.CACHE_TTL_MS,
    cursorSecret: e.CURSOR_SECRET,
    carehq: Object.freeze({
      target: vendorMode(
        'carehq',
        e.CAREHQ_BASE_URL,
        { CAREHQ_ACCOUNT_ID: e.CAREHQ_ACCOUNT_ID, CAREHQ_API_KEY: e.CAREHQ_API_KEY, CAREHQ_API_SECRET: e.CAREHQ_API_SECRET },
        (v) => ({ accountId: v.CAREHQ_ACCOUNT_ID ?? '', apiKey: v.CAREHQ_API_KEY ?? '', apiSecret: v.CAREHQ_API_SECRET ?? '' }),
      ),
      requestsPerSecond: e.CAREHQ_REQUESTS_PER_SECOND,
    }),
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    redisUrl: e.REDIS_URL,
    clinicea: Object.freeze({
      target: cliniceaTarget,
      auth: cliniceaAuth(e, cliniceaTarget.mode === 'live'),
      requestsPerSecond: e.CLINICEA_REQUESTS_PER_SECOND,
      firstPageNumber: e.CLINICEA_FIRST_PAGE_NUMBER === 1 ? 1 : 0,
    }),
    caseware: Object.freeze({
      target: vendorMode(
        'caseware',
        e.CASEWARE_BASE_URL,
        { CASEWARE_CLIENT_ID: e.CASEWARE_CLIENT_ID, CASEWARE_CLIENT_SECRET: e.CASEWARE_CLIENT_SECRET },
        (v) => ({ clientId: v.CASEWARE_CLIENT_ID ?? '', clientSecret: v.CASEWARE_CLIENT_SECRET ?? '' }),
      ),
    }),
    carecloud: Object.freeze({
      target: carecloudTarget,
      ratePerSecond: e.CARECLOUD_RATE_PER_SECOND,
      burst: e.CARECLOUD_BURST,
      monthlyQuota: e.CARECLOUD_MONTHLY_QUOTA,
      sftp: careCloudSftp(e, env, carecloudTarget.mode === 'live', readKeyFile),
    }),
    generic: Object.freeze({
      target: vendorMode(
        'generic',
        e.GENERIC_BASE_URL,
        { GENERIC_TOKEN_URL: e.GENERIC_TOKEN_URL, GENERIC_CLIENT_ID: e.GENERIC_CLIENT_ID, GENERIC_CLIENT_SECRET: e.GENERIC_CLIENT_SECRET },
        (v) => ({ tokenUrl: v.GENERIC_TOKEN_URL ?? '', clientId: v.GENERIC_CLIENT_ID ?? '', clientSecret: v.GENERIC_CLIENT_SECRET ?? '' }),
      ),
      webhookSecrets: e.GENERIC_WEBHOOK_SECRET,
    }),
    metricsEnabled: e.METRICS_ENABLED,
  });
}
