/**
 * The only reader of process.env. Validated once with zod, frozen, with messages that say what was
 * expected and what arrived. Secrets are read here and handed to the vendor that needs them; they are
 * never logged (see logger.ts redaction) nor put in errors.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isIP } from 'node:net';
import { z } from 'zod';
import { SCOPES } from './domain/access.ts';

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
  // Any case: LOG_LEVEL=DEBUG is as good as debug.
  LOG_LEVEL: z
    .string()
    .optional()
    .transform((value) => (value?.trim() || 'info').toLowerCase())
    .pipe(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])),
  REQUEST_TIMEOUT_MS: int('REQUEST_TIMEOUT_MS', 15_000, 100, 600_000),
  UPSTREAM_TIMEOUT_MS: int('UPSTREAM_TIMEOUT_MS', 10_000, 100, 600_000),
  CACHE_TTL_MS: int('CACHE_TTL_MS', 5_000, 0, 3_600_000),
  CACHE_MAX_BYTES: int('CACHE_MAX_BYTES', 64 * 1024 * 1024, 1024, 16 * 1024 * 1024 * 1024),
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
  GENERIC_REQUESTS_PER_WINDOW: int('GENERIC_REQUESTS_PER_WINDOW', 50, 1, 1_000_000),
  GENERIC_WINDOW_SECONDS: int('GENERIC_WINDOW_SECONDS', 10, 1, 86_400),
  METRICS_ENABLED: bool('METRICS_ENABLED', true),
  NODE_ENV: optionalText,
  API_KEYS_FILE: optionalText,
  JWT_JWKS_URL: optionalText,
  JWT_PUBLIC_KEY: optionalText,
  JWT_SECRET: optionalText,
  JWT_ISSUER: optionalText,
  JWT_AUDIENCE: optionalText,
  MAX_ALIASES: int('MAX_ALIASES', 15, 1, 10_000),
  MAX_DEPTH: int('MAX_DEPTH', 12, 2, 1_000),
  MAX_TOKENS: int('MAX_TOKENS', 2_000, 10, 1_000_000),
  MAX_DIRECTIVES: int('MAX_DIRECTIVES', 50, 1, 10_000),
  MAX_COST: int('MAX_COST', 5_000, 1, 100_000_000),
  MAX_ENTITY_REPRESENTATIONS: int('MAX_ENTITY_REPRESENTATIONS', 500, 1, 100_000),
  MAX_UPSTREAM_CALLS_PER_REQUEST: int('MAX_UPSTREAM_CALLS_PER_REQUEST', 60, 1, 100_000),
  CLIENT_REQUESTS_PER_MINUTE: int('CLIENT_REQUESTS_PER_MINUTE', 600, 1, 10_000_000),
  DOWNLOAD_URL_TTL_S: int('DOWNLOAD_URL_TTL_S', 300, 1, 31_536_000),
  MAX_SUBSCRIPTIONS_PER_CLIENT: int('MAX_SUBSCRIPTIONS_PER_CLIENT', 20, 1, 100_000),
  MAX_QUEUED_EVENTS: int('MAX_QUEUED_EVENTS', 100, 1, 100_000),
  CORS_ORIGINS: optionalText,
  GRAPHQL_INTROSPECTION: bool('GRAPHQL_INTROSPECTION', false),
  // 'apollo' picks Apollo Sandbox over the self-hosted GraphiQL; anything else reads as a flag.
  GRAPHQL_SANDBOX: z
    .string()
    .trim()
    .optional()
    .transform((value, ctx): boolean | 'apollo' => {
      if (value?.toLowerCase() === 'apollo') return 'apollo';
      const flag = bool('GRAPHQL_SANDBOX', false).safeParse(value);
      if (flag.success) return flag.data;
      ctx.addIssue({ code: 'custom', message: `expected GRAPHQL_SANDBOX to be true, false or apollo, got "${value}"` });
      return z.NEVER;
    }),
  SHUTDOWN_GRACE_MS: int('SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
  // OpenTelemetry's standard variables (opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/).
  OTEL_SDK_DISABLED: bool('OTEL_SDK_DISABLED', false),
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalText,
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optionalText,
  OTEL_EXPORTER_OTLP_HEADERS: optionalText,
  OTEL_EXPORTER_OTLP_TRACES_HEADERS: optionalText,
  OTEL_EXPORTER_OTLP_PROTOCOL: optionalText,
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: optionalText,
  OTEL_SERVICE_NAME: optionalText,
  OTEL_TRACES_SAMPLER: z
    .string()
    .optional()
    .transform((value) => (value?.trim() || 'parentbased_always_on').toLowerCase())
    .pipe(z.enum(['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'])),
  OTEL_TRACES_SAMPLER_ARG: optionalText,
});

/** The project root's `.env` (from src/ under tsx, from dist/ when built: one level up either way). */
export const DOT_ENV_PATH = fileURLToPath(new URL('../.env', import.meta.url));

export type DotEnv = { readonly kind: 'absent' } | { readonly kind: 'loaded'; readonly path: string } | { readonly kind: 'unsupported'; readonly path: string };

/**
 * Loads `path` (default: the project root's `.env`) into the environment when it exists, before
 * `loadConfig` reads it. A variable already set in the environment keeps its value. Node has
 * `process.loadEnvFile` from 20.12; on an older one the file is left unread and the answer says so.
 */
export function loadDotEnv(path: string = DOT_ENV_PATH): DotEnv {
  if (!existsSync(path)) return { kind: 'absent' };
  if (typeof process.loadEnvFile !== 'function') return { kind: 'unsupported', path };
  process.loadEnvFile(path);
  return { kind: 'loaded', path };
}

/** Every variable this module reads: deployment files are checked against it (test/deploy/compose.test.ts). */
export const CONFIG_VARIABLES: readonly string[] = Object.freeze(Object.keys(schema.shape));

/** A vendor either runs against its real API (all credentials set) or against the built-in simulator. */
export type VendorMode<C> = { readonly mode: 'simulator' } | { readonly mode: 'live'; readonly baseUrl: string; readonly credentials: C };

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly logLevel: string;
  readonly requestTimeoutMs: number;
  readonly upstreamTimeoutMs: number;
  readonly cacheTtlMs: number;
  /** Bytes the in-memory response cache may hold in all. */
  readonly cacheMaxBytes: number;
  readonly cursorSecret: string | undefined;
  /** The origin clients reach this gateway at, for URLs it hands out; default: the request's Host. */
  readonly publicUrl: string | undefined;
  /**
   * Where replicas share rate budgets, the response cache (behind each one's memory), persisted queries and
   * handled webhook ids; unset keeps them all in this process's memory.
   */
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
    /** The API's documented limit, per fixed window of `windowSeconds`; responses then correct the count. */
    readonly requestsPerWindow: number;
    /** The length of the API's rate-limit window, which its headers do not say. */
    readonly windowSeconds: number;
  };
  /** Prometheus metrics at /metrics. */
  readonly metricsEnabled: boolean;
  /** NODE_ENV=production: no introspection, landing page or suggestions unless asked for; errors masked. */
  readonly production: boolean;
  /** Who may call: open local mode (anonymous, loopback only, not production) or keys and/or JWTs. */
  readonly auth: AuthConfig;
  /** What one request may cost, checked before it runs and while it runs. */
  readonly limits: LimitsConfig;
  /** Requests one client (key name, JWT subject, or anonymous) may make per minute; past it, 429. */
  readonly clientRequestsPerMinute: number;
  /** How long a signed `File.downloadUrl` stays valid, seconds. */
  readonly downloadUrlTtlS: number;
  /** Bounds of `vendorEvents`: subscriptions per client on a replica, events waiting per subscriber. */
  readonly liveEvents: { readonly maxSubscriptionsPerClient: number; readonly maxQueuedEvents: number };
  /** Browser origins allowed by CORS; undefined: the default (localhost outside production, none in it). */
  readonly corsOrigins: readonly string[] | undefined;
  /** Introspection; default on outside production, off in it unless GRAPHQL_INTROSPECTION=true. */
  readonly introspection: boolean;
  /**
   * The page a browser gets at /graphql: true is the self-hosted GraphiQL, 'apollo' Apollo Sandbox (from
   * Apollo's CDN). Default true outside production, false in it unless GRAPHQL_SANDBOX=true or apollo.
   */
  readonly sandbox: boolean | 'apollo';
  /** How long requests in flight may take to finish after SIGTERM/SIGINT, ms. */
  readonly shutdownGraceMs: number;
  /** OpenTelemetry tracing (OTLP over HTTP); undefined, the default, is off. */
  readonly tracing: TracingConfig | undefined;
}

export type TracingSampler =
  | 'always_on'
  | 'always_off'
  | 'traceidratio'
  | 'parentbased_always_on'
  | 'parentbased_always_off'
  | 'parentbased_traceidratio';

export interface TracingConfig {
  /** Where spans are POSTed: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as given, or OTEL_EXPORTER_OTLP_ENDPOINT + `/v1/traces`. */
  readonly url: string;
  /** Sent with every export (a vendor's API key, say): OTEL_EXPORTER_OTLP_HEADERS, then the TRACES_ ones over them. */
  readonly headers: Readonly<Record<string, string>>;
  /** OTEL_SERVICE_NAME; default `vendor-graph`. */
  readonly serviceName: string;
  /** OTEL_TRACES_SAMPLER; default `parentbased_always_on` (a router's sampling decision is kept). */
  readonly sampler: TracingSampler;
  /** OTEL_TRACES_SAMPLER_ARG for the ratio samplers, 0 to 1; default 1. */
  readonly samplerRatio: number;
}

/** One line of API_KEYS_FILE: the key's name, the hex SHA-256 of the whole key (prefix included), its scopes. */
export interface ApiKeyRecord {
  readonly name: string;
  readonly sha256: string;
  readonly scopes: readonly string[];
}

/** Where JWT signatures are checked: a JWKS endpoint, one PEM public key, or an HS256 shared secret. */
export type JwtKeySource =
  | { readonly kind: 'jwks'; readonly url: string }
  | { readonly kind: 'public_key'; readonly pem: string }
  | { readonly kind: 'secret'; readonly secret: string };

export interface JwtConfig {
  readonly key: JwtKeySource;
  readonly issuer: string;
  readonly audience: string;
}

export type AuthConfig =
  | { readonly mode: 'open' }
  | { readonly mode: 'protected'; readonly apiKeys: readonly ApiKeyRecord[]; readonly jwt: JwtConfig | undefined };

export interface LimitsConfig {
  readonly maxAliases: number;
  readonly maxDepth: number;
  readonly maxTokens: number;
  readonly maxDirectives: number;
  /** Connection-aware cost: page sizes multiply, and each implied vendor call counts. */
  readonly maxCost: number;
  readonly maxEntityRepresentations: number;
  readonly maxUpstreamCallsPerRequest: number;
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

const apiKeysFile = z.array(
  z.object({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a name of letters, digits, dot, dash or underscore'),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, '64 lower-case hex digits'),
    scopes: z.array(z.enum(SCOPES)).min(1),
  }),
);

/** API_KEYS_FILE's records; a problem names the file and the entry, never a hash. */
function apiKeys(path: string, readFile: (path: string) => string): readonly ApiKeyRecord[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFile(path)) as unknown;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const why = typeof code === 'string' ? code : 'not JSON';
    throw new ConfigError(`expected API_KEYS_FILE to name a readable JSON file, got "${path}" (${why})`);
  }
  const parsed = apiKeysFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? issue.path.join('.') : '';
    throw new ConfigError(
      `expected API_KEYS_FILE to hold [{"name", "sha256", "scopes": [...]}] (scopes from ${SCOPES.join(', ')}), got a problem at ${where || 'the top'}: ${issue?.message ?? 'unknown'}`,
    );
  }
  const names = new Set<string>();
  for (const record of parsed.data) {
    if (names.has(record.name)) throw new ConfigError(`expected API_KEYS_FILE names to be unique, got "${record.name}" twice`);
    names.add(record.name);
  }
  return Object.freeze(parsed.data.map((record) => Object.freeze({ ...record, scopes: Object.freeze([...record.scopes]) })));
}

/** One JWT key source with its issuer and audience, or no JWT variable at all. */
function jwtConfig(e: Parsed): JwtConfig | undefined {
  const sources = { JWT_JWKS_URL: e.JWT_JWKS_URL, JWT_PUBLIC_KEY: e.JWT_PUBLIC_KEY, JWT_SECRET: e.JWT_SECRET };
  const given = Object.entries(sources).filter(([, value]) => value !== undefined);
  if (given.length === 0 && e.JWT_ISSUER === undefined && e.JWT_AUDIENCE === undefined) return undefined;
  if (given.length !== 1) {
    throw new ConfigError(`expected exactly one of JWT_JWKS_URL, JWT_PUBLIC_KEY and JWT_SECRET, got ${given.length === 0 ? 'none' : given.map(([name]) => name).join(' and ')}`);
  }
  const missing = (['JWT_ISSUER', 'JWT_AUDIENCE'] as const).filter((name) => e[name] === undefined);
  if (missing.length > 0 || e.JWT_ISSUER === undefined || e.JWT_AUDIENCE === undefined) {
    throw new ConfigError(`expected ${missing.join(' and ')} to be set with ${given[0]?.[0] ?? 'the JWT key'}, got nothing`);
  }
  let key: JwtKeySource;
  if (e.JWT_JWKS_URL !== undefined) {
    let url: URL;
    try {
      url = new URL(e.JWT_JWKS_URL);
    } catch {
      throw new ConfigError(`expected JWT_JWKS_URL to be a URL, got "${e.JWT_JWKS_URL}"`);
    }
    if (url.protocol !== 'https:' && !isLoopback(url.hostname)) {
      throw new ConfigError(`expected JWT_JWKS_URL to be an https URL (http only on loopback), got "${e.JWT_JWKS_URL}"`);
    }
    key = { kind: 'jwks', url: url.toString() };
  } else if (e.JWT_PUBLIC_KEY !== undefined) {
    const pem = e.JWT_PUBLIC_KEY.replace(/\\n/g, '\n');
    if (!/-----BEGIN PUBLIC KEY-----/.test(pem)) {
      throw new ConfigError(`expected JWT_PUBLIC_KEY to be a PEM public key (-----BEGIN PUBLIC KEY-----), got ${pem.length} characters of something else`);
    }
    key = { kind: 'public_key', pem };
  } else {
    const secret = e.JWT_SECRET ?? '';
    // RFC 7518 3.2: an HS256 key must be at least as long as the hash, 256 bits.
    if (Buffer.byteLength(secret, 'utf8') < 32) {
      throw new ConfigError(`expected JWT_SECRET to have at least 32 bytes (HS256 needs a 256-bit key), got ${Buffer.byteLength(secret, 'utf8')}`);
    }
    key = { kind: 'secret', secret };
  }
  return Object.freeze({ key: Object.freeze(key), issuer: e.JWT_ISSUER, audience: e.JWT_AUDIENCE });
}

/** 127.0.0.0/8, ::1 and localhost: the only hosts open local mode may listen on. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare === 'localhost' || bare === '::1') return true;
  return isIP(bare) === 4 && bare.startsWith('127.');
}

const NO_AUTH_MESSAGE =
  'no client authentication is configured: set API_KEYS_FILE (make keys with `npm run keys -- create --name NAME --scopes SCOPES`) ' +
  'and/or JWT_JWKS_URL, JWT_PUBLIC_KEY or JWT_SECRET with JWT_ISSUER and JWT_AUDIENCE. Anonymous access (open local mode) is ' +
  'allowed only while HOST is a loopback address and NODE_ENV is not production';

/**
 * Protected mode, as Redis has it: with no keys and no JWT settings the gateway serves anonymous callers only
 * on loopback outside production, and otherwise refuses to start. With auth on, URLs it hands out must come
 * from PUBLIC_URL, never from a request's Host header.
 */
function authConfig(e: Parsed, host: string, production: boolean, readFile: (path: string) => string): AuthConfig {
  const keys = e.API_KEYS_FILE === undefined ? undefined : apiKeys(e.API_KEYS_FILE, readFile);
  const jwt = jwtConfig(e);
  if (keys === undefined && jwt === undefined) {
    if (production) throw new ConfigError(`refusing to start with NODE_ENV=production: ${NO_AUTH_MESSAGE}`);
    if (!isLoopback(host)) throw new ConfigError(`refusing to start on HOST=${host}: ${NO_AUTH_MESSAGE}`);
    return Object.freeze({ mode: 'open' });
  }
  if (e.PUBLIC_URL === undefined) {
    throw new ConfigError('expected PUBLIC_URL to be set with client authentication on (download links are built from it, never from the Host header), got nothing');
  }
  return Object.freeze({ mode: 'protected', apiKeys: keys ?? Object.freeze([]), jwt });
}

function corsOrigins(value: string | undefined): readonly string[] | undefined {
  if (value === undefined) return undefined;
  const origins = value.split(',').map((origin) => origin.trim()).filter((origin) => origin !== '');
  for (const origin of origins) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || parsed.origin !== origin) {
      throw new ConfigError(`expected CORS_ORIGINS entries to be origins like https://app.example.com (scheme, host, optional port, no path), got "${origin}"`);
    }
  }
  return Object.freeze(origins);
}

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** `k1=v1,k2=v2` with URL-encoded values, as the OTLP exporter spec writes headers. */
function otlpHeaders(name: string, value: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const entry of (value ?? '').split(',')) {
    if (entry.trim() === '') continue;
    const at = entry.indexOf('=');
    const key = at > 0 ? entry.slice(0, at).trim() : '';
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(key)) {
      // Never quoted: these headers usually hold an API key.
      throw new ConfigError(`expected ${name} to be key=value pairs separated by commas, got an entry of ${entry.length} characters without a header name`);
    }
    let decoded: string;
    try {
      decoded = decodeURIComponent(entry.slice(at + 1).trim());
    } catch {
      throw new ConfigError(`expected ${name}'s value for ${key} to be URL-encoded, got something that does not decode`);
    }
    headers[key.toLowerCase()] = decoded;
  }
  return headers;
}

/**
 * Tracing is on when an OTLP endpoint is set (the traces one wins, used as given; the general one gets
 * `/v1/traces`), unless OTEL_SDK_DISABLED. Spans go as OTLP over HTTP (JSON), so grpc is refused by name.
 */
function tracingConfig(e: Parsed): TracingConfig | undefined {
  if (e.OTEL_SDK_DISABLED) return undefined;
  const base = e.OTEL_EXPORTER_OTLP_ENDPOINT;
  const traces = e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (base === undefined && traces === undefined) return undefined;
  const url = traces ?? `${(base ?? '').replace(/\/+$/, '')}/v1/traces`;
  const name = traces === undefined ? 'OTEL_EXPORTER_OTLP_ENDPOINT' : 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT';
  if (!isHttpUrl(url)) {
    throw new ConfigError(`expected ${name} to be an http(s) URL such as http://localhost:4318, got "${traces ?? base ?? ''}"`);
  }
  const protocol = e.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? e.OTEL_EXPORTER_OTLP_PROTOCOL;
  if (protocol !== undefined && protocol !== 'http/json' && protocol !== 'http/protobuf') {
    throw new ConfigError(`expected OTEL_EXPORTER_OTLP_PROTOCOL to be http/json or http/protobuf (spans are sent as OTLP over HTTP), got "${protocol}"`);
  }
  const ratio = e.OTEL_TRACES_SAMPLER_ARG === undefined ? 1 : Number(e.OTEL_TRACES_SAMPLER_ARG);
  if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
    throw new ConfigError(`expected OTEL_TRACES_SAMPLER_ARG to be a number from 0 to 1, got "${e.OTEL_TRACES_SAMPLER_ARG ?? ''}"`);
  }
  return Object.freeze({
    url,
    headers: Object.freeze({
      ...otlpHeaders('OTEL_EXPORTER_OTLP_HEADERS', e.OTEL_EXPORTER_OTLP_HEADERS),
      ...otlpHeaders('OTEL_EXPORTER_OTLP_TRACES_HEADERS', e.OTEL_EXPORTER_OTLP_TRACES_HEADERS),
    }),
    serviceName: e.OTEL_SERVICE_NAME ?? 'vendor-graph',
    sampler: e.OTEL_TRACES_SAMPLER,
    samplerRatio: ratio,
  });
}

/** `readKeyFile` reads CARECLOUD_SFTP_KEY_FILE and API_KEYS_FILE; tests pass their own. */
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
  const host = e.HOST ?? '127.0.0.1';
  const production = e.NODE_ENV === 'production';
  const publicUrl = e.PUBLIC_URL?.replace(/\/+$/, '');
  if (publicUrl !== undefined && !isHttpUrl(publicUrl)) {
    throw new ConfigError(`expected PUBLIC_URL to be an http(s) origin such as https://graph.example.com, got "${publicUrl}"`);
  }
  const auth = authConfig(e, host, production, readKeyFile);
  const cliniceaTarget = vendorMode('clinicea', e.CLINICEA_BASE_URL, { CLINICEA_API_KEY: e.CLINICEA_API_KEY }, (v) => ({
    apiKey: v.CLINICEA_API_KEY ?? '',
  }));
  return Object.freeze({
    port: e.PORT,
    host,
    logLevel: e.LOG_LEVEL,
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    upstreamTimeoutMs: e.UPSTREAM_TIMEOUT_MS,
    cacheTtlMs: e.CACHE_TTL_MS,
    cacheMaxBytes: e.CACHE_MAX_BYTES,
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
    publicUrl,
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
      requestsPerWindow: e.GENERIC_REQUESTS_PER_WINDOW,
      windowSeconds: e.GENERIC_WINDOW_SECONDS,
    }),
    metricsEnabled: e.METRICS_ENABLED,
    production,
    auth,
    limits: Object.freeze({
      maxAliases: e.MAX_ALIASES,
      maxDepth: e.MAX_DEPTH,
      maxTokens: e.MAX_TOKENS,
      maxDirectives: e.MAX_DIRECTIVES,
      maxCost: e.MAX_COST,
      maxEntityRepresentations: e.MAX_ENTITY_REPRESENTATIONS,
      maxUpstreamCallsPerRequest: e.MAX_UPSTREAM_CALLS_PER_REQUEST,
    }),
    clientRequestsPerMinute: e.CLIENT_REQUESTS_PER_MINUTE,
    downloadUrlTtlS: e.DOWNLOAD_URL_TTL_S,
    liveEvents: Object.freeze({ maxSubscriptionsPerClient: e.MAX_SUBSCRIPTIONS_PER_CLIENT, maxQueuedEvents: e.MAX_QUEUED_EVENTS }),
    corsOrigins: corsOrigins(e.CORS_ORIGINS),
    // Outside production both default on, so the demo stays frictionless; in it, only when asked for.
    introspection: production ? e.GRAPHQL_INTROSPECTION : env.GRAPHQL_INTROSPECTION === undefined || e.GRAPHQL_INTROSPECTION,
    sandbox: production ? e.GRAPHQL_SANDBOX : env.GRAPHQL_SANDBOX === undefined || e.GRAPHQL_SANDBOX,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    tracing: tracingConfig(e),
  });
}
