/**
 * How `npm run simulate -- carecloud --port N` starts this simulator: the HTTPS API plus its SFTP drop, with
 * everything a client needs printed (workspace and buckets to upload into, and the SFTP account, whose
 * generated private key is written to a file readable only by this user).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCareCloudSimulator } from "./server.js";
export const carecloudCli = {
    name: 'carecloud',
    envCredentials: (env) => env.CARECLOUD_API_KEY ? { apiKey: env.CARECLOUD_API_KEY } : undefined,
    start: async (port, credentials) => {
        const sim = await startCareCloudSimulator({ port, sftp: true, ...(credentials ? { credentials } : {}) });
        const notes = Object.entries(sim.workspaces).map(([workspace, buckets]) => `workspace ${workspace}: buckets ${buckets.join(', ')}`);
        if (sim.sftp) {
            const keyFile = join(mkdtempSync(join(tmpdir(), 'carecloud-sftp-')), 'id_ed25519');
            writeFileSync(keyFile, sim.sftp.privateKey, { mode: 0o600 });
            notes.push(`SFTP: sftp -P ${sim.sftp.port} -i ${keyFile} ${sim.sftp.username}@${sim.sftp.host}  (host key ${sim.sftp.hostKeySha256})`);
        }
        return { baseUrl: sim.baseUrl, credentials: { apiKey: sim.credentials.apiKey }, notes, close: () => sim.close() };
    },
};
//# sourceMappingURL=cli-entry.js.map