/**
 * Per-request DataLoaders: one per (vendor, type), capped at the vendor's batch size, so a query that names
 * the same user twenty times or asks for a hundred owners makes one batched call per batch, never one per
 * parent.
 */
import DataLoader from 'dataloader';
export function createLoaders(vendors, call) {
    const { carehq, clinicea, caseware, carecloud, generic } = vendors;
    return {
        careHqUser: new DataLoader((ids) => carehq.usersByIds(ids, call), { maxBatchSize: carehq.userBatchSize }),
        careHqEnquiry: new DataLoader((ids) => carehq.enquiriesByIds(ids, call)),
        cliniceaLead: new DataLoader((ids) => clinicea.leadsByIds(ids, call)),
        casewareUser: new DataLoader((ids) => caseware.usersByIds(ids, call), { maxBatchSize: caseware.userBatchSize }),
        casewareClient: new DataLoader((ids) => caseware.clientsByIds(ids, call), { maxBatchSize: caseware.userBatchSize }),
        carecloudFile: new DataLoader((names) => carecloud.filesByNames(names, call)),
        genericUser: new DataLoader((ids) => generic.usersByIds(ids, call), { maxBatchSize: generic.userBatchSize }),
    };
}
//# sourceMappingURL=loaders.js.map