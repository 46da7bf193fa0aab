/**
 * The Generic OAuth2 API's payloads as they cross the wire (../shared/vendors.md, "Generic OAuth2 API").
 * Shared by the data source and the simulator so that both agree on every field name. Camel case; where the
 * vendor's docs say nothing the shape is our choice and says so.
 */
/** Base path every route sits under. */
export const GENERIC_PREFIX = '/api/v1';
/** The client-credentials token endpoint, relative to the prefix. Our choice: the docs name no path. */
export const GENERIC_TOKEN_PATH = 'oauth/token';
export const GENERIC_ROLES = ['admin', 'member', 'viewer'];
export const GENERIC_LIST_LIMITS = { defaultLimit: 10, maxLimit: 100, maxIds: 100 };
export const GENERIC_BULK_MAX = 100;
/** Replays within 24 hours answer the stored response instead of creating again. */
export const GENERIC_IDEMPOTENCY_HEADER = 'idempotency-key';
/** Set (to `true`) on an answer replayed for a repeated Idempotency-Key. Our choice. */
export const GENERIC_IDEMPOTENT_REPLAY_HEADER = 'idempotent-replayed';
export const GENERIC_WEBHOOK_EVENTS = ['user.created'];
/** Standard Webhooks headers; the signature is space-separated `v1,<base64>` entries. */
export const GENERIC_WEBHOOK_HEADERS = {
    id: 'webhook-id',
    /** Epoch seconds. */
    timestamp: 'webhook-timestamp',
    signature: 'webhook-signature',
};
/** Receivers reject webhooks whose timestamp is further than this from their clock (Standard Webhooks). */
export const GENERIC_WEBHOOK_TOLERANCE_SECONDS = 300;
/** The classic rate-limit headers; `reset` comes as epoch seconds, epoch ms or a delta (vendors.md). */
export const GENERIC_RATE_HEADERS = {
    limit: 'x-ratelimit-limit',
    remaining: 'x-ratelimit-remaining',
    reset: 'x-ratelimit-reset',
};
/** The IETF fields: `RateLimit: "default";r=50;t=30` with `RateLimit-Policy: "default";q=100;w=60`. */
export const GENERIC_IETF_RATE_HEADERS = {
    rateLimit: 'ratelimit',
    policy: 'ratelimit-policy',
};
/** The older IETF draft's fields; `reset` is seconds until the window resets. */
export const GENERIC_IETF_DRAFT_RATE_HEADERS = {
    limit: 'ratelimit-limit',
    remaining: 'ratelimit-remaining',
    reset: 'ratelimit-reset',
};
//# sourceMappingURL=wire.js.map