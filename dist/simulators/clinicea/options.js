/**
 * What a Clinicea simulator can be told at start: the options, their defaults, the knobs it reads on every
 * request, and the checks that refuse a bad option with a message naming what was expected and what arrived.
 */
import { CLINICEA_FIRST_PAGE_NUMBER, CLINICEA_PAGE_SIZE } from "../../vendors/clinicea/wire.js";
/** The user a token-mode simulator accepts unless told otherwise. */
export const CLINICEA_DEMO_USER = Object.freeze({
    username: 'demo.frontdesk',
    password: 'clinicea-demo-password-4e81',
});
/** The key the simulator accepts unless told otherwise; tests and the demo configure the gateway with it. */
export const CLINICEA_DEMO_CREDENTIALS = Object.freeze({
    apiKey: 'clinicea-demo-7f3c9a2e5b1d4068',
});
const DEFAULTS = Object.freeze({
    port: 0,
    credentials: CLINICEA_DEMO_CREDENTIALS,
    authMode: 'header',
    users: Object.freeze([CLINICEA_DEMO_USER]),
    tokenTtlMs: 60 * 60 * 1000,
    perSecond: 5,
    serverErrorStatus: 500,
    seed: 1,
    leadCount: 345,
    pageSize: CLINICEA_PAGE_SIZE,
    firstPageNumber: CLINICEA_FIRST_PAGE_NUMBER,
    clock: Date.now,
});
/** Every option filled in and checked: what the rest of the simulator reads. */
export function resolveCliniceaOptions(options) {
    const config = { ...DEFAULTS, ...definedOnly(options) };
    validateOptions(config);
    return config;
}
/** Drops keys whose value is undefined, so that spreading the rest over defaults keeps the defaults. */
export function definedOnly(value) {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
function validateOptions(config) {
    const problems = [];
    const wholeAtLeast = (name, value, min) => {
        if (!Number.isInteger(value) || value < min) {
            problems.push(`expected ${name} to be a whole number >= ${min}, got ${value}`);
        }
    };
    wholeAtLeast('port', config.port, 0);
    wholeAtLeast('perSecond', config.perSecond, 1);
    wholeAtLeast('leadCount', config.leadCount, 0);
    wholeAtLeast('pageSize', config.pageSize, 1);
    wholeAtLeast('tokenTtlMs', config.tokenTtlMs, 0);
    if (config.authMode !== 'header' && config.authMode !== 'token') {
        problems.push(`expected authMode to be 'header' or 'token', got ${JSON.stringify(config.authMode)}`);
    }
    if (config.authMode === 'token') {
        const bad = config.users.findIndex((user) => !user.username || typeof user.password !== 'string' || user.password === '');
        if (config.users.length === 0)
            problems.push('expected users to name at least one { username, password } in token mode, got none');
        else if (bad >= 0)
            problems.push(`expected users[${bad}] to have a non-empty username and password, got an empty one`);
    }
    if (!Number.isFinite(config.seed))
        problems.push(`expected seed to be a number, got ${config.seed}`);
    if (config.firstPageNumber !== 0 && config.firstPageNumber !== 1) {
        problems.push(`expected firstPageNumber to be 0 or 1, got ${config.firstPageNumber}`);
    }
    if (config.serverErrorStatus !== 500 && config.serverErrorStatus !== 503) {
        problems.push(`expected serverErrorStatus to be 500 or 503, got ${config.serverErrorStatus}`);
    }
    if (typeof config.credentials.apiKey !== 'string' || config.credentials.apiKey === '') {
        problems.push('expected credentials.apiKey to be a non-empty string, got nothing');
    }
    if (problems.length > 0)
        throw new Error(`Clinicea simulator options: ${problems.join('; ')}`);
}
//# sourceMappingURL=options.js.map