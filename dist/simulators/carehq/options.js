/**
 * What a CareHQ simulator can be told at start: the options, their defaults, and the checks that refuse a bad
 * one with a message naming what was expected and what arrived.
 */
/** Obviously fake; what tests and the demo sign with unless they pass their own. */
export const CAREHQ_DEMO_CREDENTIALS = Object.freeze({
    accountId: 'sim-demo-account',
    apiKey: 'sim-demo-api-key',
    apiSecret: 'sim-demo-secret-not-real',
});
const DEFAULTS = Object.freeze({
    port: 0,
    credentials: CAREHQ_DEMO_CREDENTIALS,
    perSecond: 10,
    timestampToleranceSeconds: 300,
    seed: 1,
    enquiries: 253,
    users: 24,
    clock: () => Date.now(),
});
export function resolveCareHqOptions(options) {
    const settings = Object.freeze({ ...DEFAULTS, ...withoutUndefined(options) });
    validateSettings(settings);
    return settings;
}
function validateSettings(settings) {
    const wholeNumbers = {
        port: settings.port,
        perSecond: settings.perSecond,
        seed: settings.seed,
        enquiries: settings.enquiries,
        users: settings.users,
        timestampToleranceSeconds: settings.timestampToleranceSeconds,
    };
    for (const [name, value] of Object.entries(wholeNumbers)) {
        if (!Number.isInteger(value) || value < 0) {
            throw new Error(`expected options.${name} to be a whole number >= 0, got ${String(value)}`);
        }
    }
    for (const name of ['accountId', 'apiKey', 'apiSecret']) {
        const value = settings.credentials[name];
        if (typeof value !== 'string' || value === '') {
            throw new Error(`expected options.credentials.${name} to be a non-empty string, got ${typeof value === 'string' ? 'an empty string' : String(value)}`);
        }
    }
    if (typeof settings.clock !== 'function')
        throw new Error(`expected options.clock to be a function, got ${typeof settings.clock}`);
}
function withoutUndefined(options) {
    return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
}
//# sourceMappingURL=options.js.map