import { displayName } from '../../domain/user.ts';
import type { UserResolvers } from '../__generated__/resolvers-types.ts';
import { toGlobalId } from '../global-id.ts';
import { fromReference } from '../references.ts';
import { loadUser } from './lookup.ts';

export const User: UserResolvers = {
  __resolveReference: (reference, context) => loadUser(fromReference(reference, 'User'), context),
  id: (user) => toGlobalId(user.vendor, 'User', user.vendorId),
  name: (user) => displayName(user),
};
