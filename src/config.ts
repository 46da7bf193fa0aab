/**
 * The only reader of process.env. Validated once with zod, frozen, with messages that say what was
 * expected and what arrived. Secrets are read here and handed to the vendor that needs them; they are
 * never logged (see logger.ts redaction) nor put in errors.
 */
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
  readonly carehq: {
    readonly target: VendorMode<{ accountId: string; apiKey: string; apiSecret: string }>;
    readonly requestsPerSecond: number;
  };
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

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('\n'));
  }
  const e = parsed.data;
  if (e.CURSOR_SECRET !== undefined && e.CURSOR_SECRET.length < 16) {
    throw new ConfigError(`expected CURSOR_SECRET to have at least 16 characters, got ${e.CURSOR_SECRET.length}`);
  }
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
  });
}
