/**
 * Verifying the Generic API's webhook deliveries as Standard Webhooks specify (vendors.md, "Webhooks";
 * https://www.standardwebhooks.com): HMAC-SHA256 over `{id}.{timestamp}.{raw body}`, keyed by the
 * base64-decoded secret after its `whsec_` prefix, sent as space-separated `v1,<base64>` signatures. The
 * signature is checked before the body is parsed: nothing of an unverified body is trusted.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { User } from '../../domain/user.ts';
import { GENERIC_USER_ID } from './ids.ts';
import { toUser } from './mapping.ts';
import { GENERIC_WEBHOOK_HEADERS, GENERIC_WEBHOOK_TOLERANCE_SECONDS, type GenericUser } from './wire.ts';

export interface WebhookInput {
  /** The request's headers; names are matched without regard to case. */
  readonly headers: Record<string, string | undefined>;
  /** The body exactly as received: re-serialised JSON would not match the signature. */
  readonly rawBody: string;
  /** `whsec_<base64>` as the vendor showed it when the webhook was registered. */
  readonly secret: string;
  /** Epoch ms, the receiver's clock. */
  readonly now: number;
  /** How far `webhook-timestamp` may be from `now`, either way, in seconds. Default 300. */
  readonly toleranceSeconds?: number;
}

export interface WebhookPayload {
  readonly type: string;
  readonly timestamp: string;
  readonly data: unknown;
}

export type WebhookVerdict =
  | { ok: true; payload: WebhookPayload }
  | { ok: false; reason: 'missing_headers' | 'stale_timestamp' | 'bad_signature' | 'bad_payload' };

const SECRET_PREFIX = 'whsec_';

function header(headers: Record<string, string | undefined>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name && value) return value;
  return undefined;
}

function keyOf(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const key = Buffer.from(encoded, 'base64');
  // Never echo the secret: it is the one thing this message must not contain.
  if (key.length === 0) throw new Error('expected the webhook secret to be whsec_ followed by base64, got an empty key');
  return key;
}

/** True when any `v1,<base64>` entry matches; compared in constant time so timing leaks nothing. */
function anySignatureMatches(signatures: string, expected: Buffer): boolean {
  let matched = false;
  for (const entry of signatures.split(' ')) {
    const comma = entry.indexOf(',');
    if (comma < 0 || entry.slice(0, comma) !== 'v1') continue;
    const given = Buffer.from(entry.slice(comma + 1), 'base64');
    if (given.length === expected.length && timingSafeEqual(given, expected)) matched = true;
  }
  return matched;
}

function readPayload(rawBody: string): WebhookPayload | undefined {
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const { type, timestamp, data } = body as Record<string, unknown>;
  if (typeof type !== 'string' || typeof timestamp !== 'string' || !('data' in body)) return undefined;
  return { type, timestamp, data };
}

export function verifyWebhook(input: WebhookInput): WebhookVerdict {
  const tolerance = input.toleranceSeconds ?? GENERIC_WEBHOOK_TOLERANCE_SECONDS;
  if (!(tolerance >= 0)) throw new Error(`expected toleranceSeconds to be a number >= 0, got ${String(tolerance)}`);
  const key = keyOf(input.secret);
  const id = header(input.headers, GENERIC_WEBHOOK_HEADERS.id);
  const timestamp = header(input.headers, GENERIC_WEBHOOK_HEADERS.timestamp);
  const signatures = header(input.headers, GENERIC_WEBHOOK_HEADERS.signature);
  // A timestamp that is not whole seconds is as good as none: nothing can be signed over it.
  if (!id || !timestamp || !signatures || !/^\d+$/.test(timestamp)) return { ok: false, reason: 'missing_headers' };
  if (Math.abs(input.now / 1000 - Number(timestamp)) > tolerance) return { ok: false, reason: 'stale_timestamp' };
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${input.rawBody}`).digest();
  if (!anySignatureMatches(signatures, expected)) return { ok: false, reason: 'bad_signature' };
  const payload = readPayload(input.rawBody);
  return payload ? { ok: true, payload } : { ok: false, reason: 'bad_payload' };
}

/**
 * The user a verified `user.*` delivery carries, as a domain User; undefined when `data` is not a user record
 * (the signature proves who sent it, not that its shape is what we expect).
 */
export function webhookUser(data: unknown): User | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const record = data as Partial<Record<keyof GenericUser, unknown>>;
  const strings = ['id', 'email', 'firstName', 'lastName', 'role', 'createdAt', 'updatedAt'] as const;
  if (!strings.every((key) => typeof record[key] === 'string')) return undefined;
  return toUser(record as GenericUser);
}

/**
 * The id of the user a verified `user.deleted` delivery names. Only the id is read: a deleted user's record
 * may come whole or as `{id}` alone, and nothing else of it is shown. Undefined when it is not a user id.
 */
export function webhookUserId(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const { id } = data as { id?: unknown };
  return typeof id === 'string' && GENERIC_USER_ID.test(id) ? id : undefined;
}
