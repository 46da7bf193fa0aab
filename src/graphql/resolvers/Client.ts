import type { ClientResolvers } from '../__generated__/resolvers-types.ts';
import { vendorUnsupported } from '../errors.ts';
import { globalIdOf } from '../global-id.ts';
import { fromReference } from '../references.ts';
import { loadAll } from './lookup.ts';

export const Client: ClientResolvers = {
  // Either key: only Caseware serves clients, so the id's shape check has already pinned the vendor.
  __resolveReference: (reference, context) => context.loaders.casewareClient.load(fromReference(reference, 'Client').id),
  id: (client) => globalIdOf(client, 'Client'),
  users: (client, _args, context) => {
    if (client.staffIds === null) {
      throw vendorUnsupported('this Caseware server does not report the staff of its clients (StaffCWGuids)', client.vendor);
    }
    return loadAll(context.loaders.casewareUser, client.staffIds);
  },
};
