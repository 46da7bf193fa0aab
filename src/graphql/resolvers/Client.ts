import type { ClientResolvers } from '../__generated__/resolvers-types.ts';
import { fromGlobalId, toGlobalId } from '../global-id.ts';
import { loadAll } from './lookup.ts';

export const Client: ClientResolvers = {
  __resolveReference: (reference, context) => context.loaders.casewareClient.load(fromGlobalId(reference.id, 'Client').id),
  id: (client) => toGlobalId(client.vendor, 'Client', client.vendorId),
  users: (client, _args, context) => loadAll(context.loaders.casewareUser, client.staffIds),
};
