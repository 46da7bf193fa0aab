import { displayName } from '../../domain/user.ts';
import type { UserResolvers } from '../__generated__/resolvers-types.ts';
import { globalIdOf } from '../global-id.ts';
import { fromReference } from '../references.ts';
import { loadUser } from './lookup.ts';
import { enquiryOrder } from './queries/enquiries.ts';

export const User: UserResolvers = {
  __resolveReference: (reference, context) => loadUser(fromReference(reference, 'User'), context),
  id: (user) => globalIdOf(user, 'User'),
  name: (user) => displayName(user),
  assignedEnquiries: (user, { orderBy, ...args }, context) =>
    user.vendor === 'CAREHQ'
      ? context.loaders.assignedEnquiries.load({
          userId: user.vendorId,
          args,
          order: enquiryOrder(orderBy),
        })
      : null,
  clients: (user, args, context) => (user.vendor === 'CASEWARE' ? context.loaders.staffClients.load({ userId: user.vendorId, args }) : null),
};
