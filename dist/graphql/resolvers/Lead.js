import { fromGlobalId, toGlobalId } from "../global-id.js";
export const Lead = {
    __resolveReference: (reference, context) => context.loaders.cliniceaLead.load(fromGlobalId(reference.id, 'Lead').id),
    id: (lead) => toGlobalId(lead.vendor, 'Lead', lead.vendorId),
    // Lead owners live in the Generic API's user directory (our mapping of Clinicea's OwnerUserID).
    owner: (lead, _args, context) => (lead.ownerId ? context.loaders.genericUser.load(lead.ownerId) : null),
};
//# sourceMappingURL=Lead.js.map