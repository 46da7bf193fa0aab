/**
 * The Generic OAuth2 API's payloads as they cross the wire (../shared/vendors.md, "Generic OAuth2 API").
 * Shared by the data source and the simulator so that both agree on every field name. Camel case; where the
 * vendor's docs say nothing the shape is our choice and says so.
 */

/** Base path every route sits under. */
export const GENERIC_PREFIX = '/api/v1';

/** The client-credentials token endpoint, relative to the prefix. Our choice: the docs name no path. */
export const GENERIC_TOKEN_PATH = 'oauth/token';

export const GENERIC_ROLES = ['admin', 'member', 'viewer'] as const;
export type GenericRole = (typeof GENERIC_ROLES)[number];

/** Our choice of fields; the docs only show the list and error envelopes. */
export interface GenericUser {
  /** `usr_` followed by 12 base36 characters. */
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  role: GenericRole;
  /** ISO 8601 in UTC with a trailing `Z`. */
  createdAt: string;
  updatedAt: string;
}

export interface GenericPageMeta {
  /** From 1. A page past the end still answers, with empty `data` and these totals. */
  currentPage: number;
  totalPages: number;
  totalItems: number;
  itemsPerPage: number;
}

export interface GenericPage<T> {
  data: T[];
  meta: GenericPageMeta;
}

/** Query parameters `GET users` understands. */
export interface GenericListQuery {
  /** From 1. Default 1. */
  page?: number;
  /** 1..100. Default 10. */
  limit?: number;
  /**
   * Comma-separated ids, at most 100: answers those users (in the order asked, unknown ids left out) as a
   * single page. Our extension, so the gateway can batch lookups.
   */
  ids?: string;
}

export const GENERIC_LIST_LIMITS = { defaultLimit: 10, maxLimit: 100, maxIds: 100 } as const;

export type GenericErrorCode =
  | 'INVALID_INPUT'
  | 'INVALID_CLIENT'
  | 'UNSUPPORTED_GRANT_TYPE'
  | 'UNAUTHORIZED'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'RATE_LIMITED'
  | 'INTERNAL';

export interface GenericError {
  code: GenericErrorCode;
  message: string;
  /** For INVALID_INPUT and CONFLICT: `{ field, value }` naming what was wrong. */
  details?: Record<string, unknown>;
}

/** Every 4xx/5xx body. */
export interface GenericErrorBody {
  error: GenericError;
}

/** `POST oauth/token`, form-encoded. The client may instead send its id and secret as HTTP Basic. */
export interface GenericTokenRequest {
  grant_type: 'client_credentials';
  client_id?: string;
  client_secret?: string;
}

export interface GenericTokenResponse {
  access_token: string;
  token_type: 'Bearer';
  /** Seconds the token lives from now. */
  expires_in: number;
}

/**
 * One item of `POST users/bulk`. The docs' own example is `{ "name": "Alice Smith", "email": ... }`; the
 * separate `firstName`/`lastName` are our extension (they win over `name` when both come), so a name with
 * spaces in it is kept apart exactly. A new user needs `name` or both parts; an existing email needs neither.
 */
export interface GenericCreateUser {
  email: string;
  /** The documented full name; split at its last space when the parts are not given. */
  name?: string;
  firstName?: string;
  lastName?: string;
  /** Default `member`. */
  role?: GenericRole;
}

/** `POST users/bulk` takes a JSON array of 1..100 users. */
export type GenericBulkRequest = GenericCreateUser[];
export const GENERIC_BULK_MAX = 100;

/**
 * One item's outcome; `index` is its position in the request array. The docs call bulk "create or update":
 * an item whose email is already taken updates that user (`updated`) rather than failing.
 */
export type GenericBulkItem =
  | { index: number; status: 'created' | 'updated'; user: GenericUser }
  | { index: number; status: 'error'; error: GenericError };

/**
 * Our choice: 201 when every item succeeded and one was created, 200 when every item updated a user, 207
 * when some failed, 400 when none succeeded. The 400 carries both an `error` (so generic error handling
 * works; for a batch of one it is that item's error, `details` and all, as in the docs' example) and the
 * per-item `data`.
 */
export interface GenericBulkResponse {
  data: GenericBulkItem[];
}
export type GenericBulkFailure = GenericBulkResponse & GenericErrorBody;

/** Replays within 24 hours answer the stored response instead of creating again. */
export const GENERIC_IDEMPOTENCY_HEADER = 'idempotency-key';
/** Set (to `true`) on an answer replayed for a repeated Idempotency-Key. Our choice. */
export const GENERIC_IDEMPOTENT_REPLAY_HEADER = 'idempotent-replayed';

export const GENERIC_WEBHOOK_EVENTS = ['user.created'] as const;
export type GenericWebhookEvent = (typeof GENERIC_WEBHOOK_EVENTS)[number];

/** `POST webhooks`. Our choice of shape. */
export interface GenericWebhookCreate {
  url: string;
  events: GenericWebhookEvent[];
}

/** A registered webhook as `GET webhooks` lists it; the secret is shown only once, on creation. */
export interface GenericWebhook {
  id: string;
  url: string;
  events: GenericWebhookEvent[];
  createdAt: string;
}

export interface GenericWebhookCreated extends GenericWebhook {
  /** `whsec_` + base64 of the raw HMAC key (Standard Webhooks). */
  secret: string;
}

/** The body of every webhook POST. */
export interface GenericWebhookPayload<T = GenericUser> {
  type: GenericWebhookEvent;
  /** ISO 8601 time of the event. */
  timestamp: string;
  data: T;
}

/** Standard Webhooks headers; the signature is space-separated `v1,<base64>` entries. */
export const GENERIC_WEBHOOK_HEADERS = {
  id: 'webhook-id',
  /** Epoch seconds. */
  timestamp: 'webhook-timestamp',
  signature: 'webhook-signature',
} as const;

/** Receivers reject webhooks whose timestamp is further than this from their clock (Standard Webhooks). */
export const GENERIC_WEBHOOK_TOLERANCE_SECONDS = 300;

/** The classic rate-limit headers; `reset` comes as epoch seconds, epoch ms or a delta (vendors.md). */
export const GENERIC_RATE_HEADERS = {
  limit: 'x-ratelimit-limit',
  remaining: 'x-ratelimit-remaining',
  reset: 'x-ratelimit-reset',
} as const;

/** The IETF fields: `RateLimit: "default";r=50;t=30` with `RateLimit-Policy: "default";q=100;w=60`. */
export const GENERIC_IETF_RATE_HEADERS = {
  rateLimit: 'ratelimit',
  policy: 'ratelimit-policy',
} as const;

/** The older IETF draft's fields; `reset` is seconds until the window resets. */
export const GENERIC_IETF_DRAFT_RATE_HEADERS = {
  limit: 'ratelimit-limit',
  remaining: 'ratelimit-remaining',
  reset: 'ratelimit-reset',
} as const;
