/**
 * What a Generic OAuth2 API simulator can be told at start: the options, their defaults, and the checks that
 * refuse a bad one with a message naming what was expected and what arrived.
 */
import { DEFAULT_GENERIC_LIMITS, GENERIC_HEADER_STYLES } from "./ratelimit.js";
/** What the simulator accepts unless told otherwise; tests and the demo log in with these. */
export const GENERIC_DEMO_CREDENTIALS = Object.freeze({
    clientId: 'generic-demo-client',
    clientSecret: 'generic-demo-secret-5f2c9a',
});
const DEFAULTS = Object.freeze({
    port: 0,
    tokenTtlSeconds: 3600,
    seed: 1,
    userCount: 45,
    idempotencyTtlSeconds: 86_400,
    webhookRetryDelaysMs: [250, 1000, 4000],
    webhookTimeoutMs: 5000,
});
export function resolveGenericOptions(options) {
    const s = {
        port: options.port ?? DEFAULTS.port,
        credentials: options.credentials ?? GENERIC_DEMO_CREDENTIALS,
        tokenTtlSeconds: options.tokenTtlSeconds ?? DEFAULTS.tokenTtlSeconds,
        seed: options.seed ?? DEFAULTS.seed,
        userCount: options.userCount ?? DEFAULTS.userCount,
        clock: options.clock ?? Date.now,
        idempotencyTtlSeconds: options.idempotencyTtlSeconds ?? DEFAULTS.idempotencyTtlSeconds,
        fetch: options.fetch ?? globalThis.fetch,
        webhookRetryDelaysMs: options.webhookRetryDelaysMs ?? DEFAULTS.webhookRetryDelaysMs,
        webhookTimeoutMs: options.webhookTimeoutMs ?? DEFAULTS.webhookTimeoutMs,
        // Not frozen: the simulator hands this object out as its live `limits`.
        limits: { ...DEFAULT_GENERIC_LIMITS, ...options.limits },
    };
    const { credentials: c, limits: l } = s;
    const checks = [
        [Number.isInteger(s.port) && s.port >= 0 && s.port < 65536, 'port to be an integer 0..65535', s.port],
        [
            c.clientId.length > 0 && c.clientSecret.length > 0,
            'credentials with a non-empty clientId and clientSecret',
            { clientId: c.clientId, clientSecret: c.clientSecret ? '<set>' : '' },
        ],
        [s.tokenTtlSeconds > 0, 'tokenTtlSeconds to be a positive number of seconds', s.tokenTtlSeconds],
        [Number.isInteger(s.userCount) && s.userCount >= 1, 'userCount to be at least 1 (the service user)', s.userCount],
        [s.idempotencyTtlSeconds > 0, 'idempotencyTtlSeconds to be a positive number of seconds', s.idempotencyTtlSeconds],
        [s.webhookRetryDelaysMs.every((ms) => ms >= 0), 'webhookRetryDelaysMs to hold ms >= 0', s.webhookRetryDelaysMs],
        [Number.isInteger(l.limit) && l.limit >= 0, 'limits.limit to be a non-negative integer', l.limit],
        [l.windowSeconds > 0, 'limits.windowSeconds to be positive', l.windowSeconds],
        [
            GENERIC_HEADER_STYLES.includes(l.headerStyle),
            `limits.headerStyle to be one of ${GENERIC_HEADER_STYLES.join(', ')}`,
            l.headerStyle,
        ],
    ];
    for (const [ok, expected, got] of checks) {
        if (!ok)
            throw new Error(`generic simulator: expected ${expected}, got ${JSON.stringify(got)}`);
    }
    return Object.freeze(s);
}
//# sourceMappingURL=options.js.map