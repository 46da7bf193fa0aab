/** Vendors that have no real credentials configured and so run on their simulator. */
export function simulatedVendors(config) {
    const all = ['carehq', 'clinicea', 'caseware', 'carecloud', 'generic'];
    return new Set(all.filter((vendor) => config[vendor].target.mode === 'simulator'));
}
function need(sim, vendor) {
    if (sim === undefined)
        throw new Error(`${vendor} has no credentials and its simulator did not start`);
    return sim;
}
function pick(sim) {
    return { baseUrl: sim.baseUrl, credentials: sim.credentials };
}
/** The simulator's SFTP drop, with its host key pinned: the demo never trusts a key on first use. */
function simulatedSftp(sim) {
    const sftp = sim?.sftp;
    if (!sftp)
        return undefined;
    return { host: sftp.host, port: sftp.port, username: sftp.username, privateKey: sftp.privateKey, hostKeySha256: sftp.hostKeySha256 };
}
export function vendorOptions(config, sims) {
    const ttl = { cacheTtlMs: config.cacheTtlMs };
    const modes = {
        carehq: config.carehq.target.mode === 'live' ? 'LIVE' : 'SIMULATOR',
        clinicea: config.clinicea.target.mode === 'live' ? 'LIVE' : 'SIMULATOR',
        caseware: config.caseware.target.mode === 'live' ? 'LIVE' : 'SIMULATOR',
        carecloud: config.carecloud.target.mode === 'live' ? 'LIVE' : 'SIMULATOR',
        generic: config.generic.target.mode === 'live' ? 'LIVE' : 'SIMULATOR',
    };
    const c = config;
    const sim = sims;
    return {
        modes,
        carehq: {
            ...ttl,
            requestsPerSecond: c.carehq.requestsPerSecond,
            ...(c.carehq.target.mode === 'live'
                ? { baseUrl: c.carehq.target.baseUrl, credentials: c.carehq.target.credentials }
                : pick(need(sim.carehq, 'carehq'))),
        },
        clinicea: {
            ...ttl,
            requestsPerSecond: c.clinicea.requestsPerSecond,
            firstPageNumber: c.clinicea.firstPageNumber,
            // The simulator is started in header mode, so only the live API gets the token login.
            ...(c.clinicea.target.mode === 'live'
                ? { baseUrl: c.clinicea.target.baseUrl, credentials: c.clinicea.target.credentials, auth: c.clinicea.auth }
                : pick(need(sim.clinicea, 'clinicea'))),
        },
        caseware: {
            ...ttl,
            ...(c.caseware.target.mode === 'live'
                ? { baseUrl: c.caseware.target.baseUrl, credentials: c.caseware.target.credentials }
                : pick(need(sim.caseware, 'caseware'))),
        },
        carecloud: {
            ...ttl,
            ratePerSecond: c.carecloud.ratePerSecond,
            burst: c.carecloud.burst,
            monthlyQuota: c.carecloud.monthlyQuota,
            ...(c.carecloud.target.mode === 'live'
                ? {
                    baseUrl: c.carecloud.target.baseUrl,
                    credentials: { apiKey: c.carecloud.target.credentials.apiKey },
                    workspaceId: c.carecloud.target.credentials.workspaceId,
                    bucketId: c.carecloud.target.credentials.bucketId,
                    sftp: c.carecloud.sftp,
                }
                : { ...pick(need(sim.carecloud, 'carecloud')), ...sim.carecloudTarget, sftp: simulatedSftp(sim.carecloud) }),
        },
        generic: {
            ...ttl,
            ...(c.generic.target.mode === 'live'
                ? {
                    baseUrl: c.generic.target.baseUrl,
                    tokenUrl: c.generic.target.credentials.tokenUrl,
                    credentials: { clientId: c.generic.target.credentials.clientId, clientSecret: c.generic.target.credentials.clientSecret },
                }
                : { ...pick(need(sim.generic, 'generic')), tokenUrl: need(sim.generic, 'generic').tokenUrl }),
        },
    };
}
//# sourceMappingURL=vendor-options.js.map