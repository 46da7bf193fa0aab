import { fromGlobalId, toGlobalId } from "../global-id.js";
import { loadAll } from "./lookup.js";
export const Client = {
    __resolveReference: (reference, context) => context.loaders.casewareClient.load(fromGlobalId(reference.id, 'Client').id),
    id: (client) => toGlobalId(client.vendor, 'Client', client.vendorId),
    users: (client, _args, context) => loadAll(context.loaders.casewareUser, client.staffIds),
};
//# sourceMappingURL=Client.js.map