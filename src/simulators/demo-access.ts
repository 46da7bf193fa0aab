/*
 * Kept apart from demo.ts so that main.ts can print the banner without loading the simulators' code: a
 * gateway with every vendor live never imports them (start-configured.ts).
 */
import type { DemoSimulators, SimulatedVendor } from './demo.ts';

/**
 * What a person needs to call a demo simulator directly (with curl, or their own client), by vendor: its
 * credentials and, for CareCloud, where its SFTP drop listens. All fake: these are simulators.
 */
export function demoAccess(sims: DemoSimulators): Partial<Record<SimulatedVendor, readonly string[]>> {
  const pairs = (credentials: object) =>
    Object.entries(credentials)
      .map(([key, value]) => `${key}=${String(value)}`)
      .join(' ');
  const access: Partial<Record<SimulatedVendor, readonly string[]>> = {};
  if (sims.carehq) access.carehq = [pairs(sims.carehq.credentials)];
  if (sims.clinicea) access.clinicea = [pairs(sims.clinicea.credentials)];
  if (sims.caseware) access.caseware = [pairs(sims.caseware.credentials)];
  if (sims.generic) access.generic = [`${pairs(sims.generic.credentials)} tokenUrl=${sims.generic.tokenUrl}`];
  if (sims.carecloud) {
    const { sftp } = sims.carecloud;
    access.carecloud = [
      `${pairs(sims.carecloud.credentials)} workspaceId=${sims.carecloudTarget.workspaceId} bucketId=${sims.carecloudTarget.bucketId}`,
      ...(sftp ? [`SFTP drop on ${sftp.host} port ${sftp.port}, user ${sftp.username} (host key ${sftp.hostKeySha256})`] : []),
    ];
  }
  return access;
}
