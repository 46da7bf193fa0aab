/**
 * Starts the simulators for every vendor that has no real credentials, seeded so that cross-references
 * resolve: lead owners and file uploaders are users of the Generic API simulator. CareCloud runs its SFTP drop
 * too, so uploads with transport SFTP work out of the box.
 */
import { CARECLOUD_DEFAULT_BUCKET_IDS, CARECLOUD_DEFAULT_WORKSPACE_ID, startCareCloudSimulator, } from "./carecloud/server.js";
import { startCareHqSimulator } from "./carehq/server.js";
import { startCasewareSimulator } from "./caseware/server.js";
import { startCliniceaSimulator } from "./clinicea/server.js";
import { startGenericSimulator } from "./generic/server.js";
export async function startDemoSimulators(which, options = {}) {
    const generic = which.has('generic') ? await startGenericSimulator(options.generic) : undefined;
    const directory = generic?.store.users.map((user) => user.id);
    const [carehq, clinicea, caseware, carecloud] = await Promise.all([
        which.has('carehq') ? startCareHqSimulator(options.carehq) : undefined,
        which.has('clinicea') ? startCliniceaSimulator({ ...(directory ? { ownerUserIds: directory } : {}), ...options.clinicea }) : undefined,
        which.has('caseware') ? startCasewareSimulator(options.caseware) : undefined,
        which.has('carecloud')
            ? startCareCloudSimulator({ sftp: true, ...(directory ? { uploaderIds: directory } : {}), ...options.carecloud })
            : undefined,
    ]);
    const all = [generic, carehq, clinicea, caseware, carecloud].filter((sim) => sim !== undefined);
    return {
        generic,
        carehq,
        clinicea,
        caseware,
        carecloud,
        carecloudTarget: { workspaceId: CARECLOUD_DEFAULT_WORKSPACE_ID, bucketId: CARECLOUD_DEFAULT_BUCKET_IDS[0] ?? 'care-records' },
        close: async () => {
            await Promise.all(all.map((sim) => sim.close()));
        },
    };
}
//# sourceMappingURL=demo.js.map