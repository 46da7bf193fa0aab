/**
 * Each vendor's data-source options, from its configuration when it is live or from its simulator when it
 * is not. The only place that knows both shapes.
 */
import type { Config } from '../config.ts';
import type { DemoSimulators, SimulatedVendor } from '../simulators/demo.ts';
import type { CareCloudSftpOptions } from '../vendors/carecloud/index.ts';
import type { GatewayOptions, Mode } from './gateway.ts';

type VendorOptions = Pick<GatewayOptions, 'carehq' | 'clinicea' | 'caseware' | 'carecloud' | 'generic' | 'modes'>;

/** Vendors that have no real credentials configured and so run on their simulator. */
export function simulatedVendors(config: Config): Set<SimulatedVendor> {
  const all: SimulatedVendor[] = ['carehq', 'clinicea', 'caseware', 'carecloud', 'generic'];
  return new Set(all.filter((vendor) => config[vendor].target.mode === 'simulator'));
}

function need<T>(sim: T | undefined, vendor: string): T {
  if (sim === undefined) throw new Error(`${vendor} has no credentials and its simulator did not start`);
  return sim;
}

function pick<C>(sim: { readonly baseUrl: string; readonly credentials: C }): { baseUrl: string; credentials: C } {
  return { baseUrl: sim.baseUrl, credentials: sim.credentials };
}

/** The simulator's SFTP drop, with its host key pinned: the demo never trusts a key on first use. */
function simulatedSftp(sim: DemoSimulators['carecloud']): CareCloudSftpOptions | undefined {
  const sftp = sim?.sftp;
  if (!sftp) return undefined;
  return { host: sftp.host, port: sftp.port, username: sftp.username, privateKey: sftp.privateKey, hostKeySha256: sftp.hostKeySha256 };
}

export function vendorOptions(config: Config, sims: DemoSimulators): VendorOptions {
  const ttl = { cacheTtlMs: config.cacheTtlMs };
  const modes: Record<SimulatedVendor, Mode> = {
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
      requestsPerWindow: c.generic.requestsPerWindow,
      windowSeconds: c.generic.windowSeconds,
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
