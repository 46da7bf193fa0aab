/**
 * How `npm run simulate -- carecloud --port N [--sftp-port M]` starts this simulator: the HTTPS API plus its SFTP drop, with
 * everything a client needs printed (workspace and buckets to upload into, and the SFTP account, whose
 * generated private key is written to a file readable only by this user).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeLoad, type SimKnobs } from '../knobs.ts';
import { startCareCloudSimulator, type CareCloudCredentials } from './server.ts';

export const carecloudCli = {
  name: 'carecloud',
  envCredentials: (env: NodeJS.ProcessEnv): CareCloudCredentials | undefined =>
    env.CARECLOUD_API_KEY ? { apiKey: env.CARECLOUD_API_KEY } : undefined,
  /**
   * `knobs.rate`: a token bucket of that many, refilled at that many per second (so the burst is the rate,
   * not the documented 20); `knobs.records`: files in the first bucket.
   */
  start: async (
    port: number,
    credentials?: CareCloudCredentials,
    knobs: SimKnobs = {},
    /** The SFTP drop's port; 0 (default) picks a free one. */
    sftpPort = 0,
  ): Promise<{ baseUrl: string; credentials: Record<string, string>; notes: string[]; load: string; close(): Promise<void> }> => {
    const sim = await startCareCloudSimulator({
      port,
      sftp: true,
      sftpPort,
      fileCount: knobs.records,
      strict: knobs.strict,
      ...(knobs.rate === undefined ? {} : { limits: { ratePerSecond: knobs.rate, burst: knobs.rate } }),
      ...(credentials ? { credentials } : {}),
    });
    const [workspace, buckets] = Object.entries(sim.workspaces)[0] ?? ['', []];
    const seeded = sim.store.files.get(workspace)?.get(buckets[0] ?? '')?.size ?? 0;
    const notes = Object.entries(sim.workspaces).map(([workspace, buckets]) => `workspace ${workspace}: buckets ${buckets.join(', ')}`);
    if (sim.sftp) {
      const keyFile = join(mkdtempSync(join(tmpdir(), 'carecloud-sftp-')), 'id_ed25519');
      writeFileSync(keyFile, sim.sftp.privateKey, { mode: 0o600 });
      notes.push(
        `SFTP: sftp -P ${sim.sftp.port} -i ${keyFile} ${sim.sftp.username}@${sim.sftp.host}  (host key ${sim.sftp.hostKeySha256})`,
      );
    }
    return {
      baseUrl: sim.baseUrl,
      credentials: { apiKey: sim.credentials.apiKey },
      notes,
      load: describeLoad(`bucket of ${sim.limits.burst} refilled at ${sim.limits.ratePerSecond} per second`, seeded, `files in ${buckets[0] ?? '?'}`),
      close: () => sim.close(),
    };
  },
};
