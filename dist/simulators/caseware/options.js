/**
 * What a Caseware simulator can be told at start: the options, their defaults, the live token-bucket knobs,
 * and the checks that refuse a bad option with a message naming what was expected and what arrived.
 */
import { CASEWARE_TOKEN_TTL_MS } from "../../vendors/caseware/wire.js";
/** The demo API client every test and the standalone simulator use unless told otherwise. */
export const CASEWARE_DEMO_CREDENTIALS = Object.freeze({
    clientId: 'demo-client-4f2a',
    clientSecret: 'demo-secret-caseware-7c91e0',
});
export const CASEWARE_DEFAULT_FIRM = 'demo-firm';
export const DEFAULT_CASEWARE_LIMITS = Object.freeze({
    burstCapacity: 20,
    replenishRate: 10,
    requestedTokens: 1,
});
export function resolveCasewareOptions(options) {
    const settings = {
        port: options.port ?? 0,
        firm: options.firm ?? CASEWARE_DEFAULT_FIRM,
        credentials: options.credentials ?? CASEWARE_DEMO_CREDENTIALS,
        tokenTtlMs: options.tokenTtlMs ?? CASEWARE_TOKEN_TTL_MS,
        seed: options.seed ?? 1,
        users: options.users ?? 60,
        entities: options.entities ?? 150,
        clock: options.clock ?? Date.now,
    };
    const problems = [];
    const expect = (ok, what, got) => {
        if (!ok)
            problems.push(`expected ${what}, got ${JSON.stringify(got)}`);
    };
    const wholeAtLeast = (value, min) => Number.isInteger(value) && value >= min;
    expect(wholeAtLeast(settings.port, 0) && settings.port <= 65_535, 'port to be 0-65535', settings.port);
    expect(/^[A-Za-z0-9_-]+$/.test(settings.firm), 'firm to be a single path segment like demo-firm', settings.firm);
    expect(typeof settings.credentials.clientId === 'string' && settings.credentials.clientId !== '', 'credentials.clientId to be a non-empty string', settings.credentials.clientId);
    expect(typeof settings.credentials.clientSecret === 'string' && settings.credentials.clientSecret !== '', 'credentials.clientSecret to be a non-empty string', settings.credentials.clientSecret === '' ? '' : '(hidden)');
    expect(settings.tokenTtlMs > 0, 'tokenTtlMs to be above 0', settings.tokenTtlMs);
    expect(Number.isInteger(settings.seed), 'seed to be an integer', settings.seed);
    expect(wholeAtLeast(settings.users, 0), 'users to be a whole number', settings.users);
    expect(wholeAtLeast(settings.entities, 0), 'entities to be a whole number', settings.entities);
    for (const key of ['burstCapacity', 'replenishRate', 'requestedTokens']) {
        const value = options.limits?.[key];
        if (value !== undefined)
            expect(Number.isFinite(value) && value >= 0, `limits.${key} to be 0 or more`, value);
    }
    if (problems.length > 0)
        throw new Error(`Caseware simulator options: ${problems.join('; ')}`);
    return settings;
}
//# sourceMappingURL=options.js.map