import { displayName } from '../../domain/user.ts';
import type { UserResolvers } from '../__generated__/resolvers-types.ts';
import { globalIdOf } from '../global-id.ts';
import { fromReference } from '../references.ts';
import { loadUser } from './lookup.ts';

export const User: UserResolvers = {
  __resolveReference: (reference, context) => loadUser(fromReference(reference, 'User'), context),
  id: (user) => globalIdOf(user, 'User'),
  name: (user) => displayName(user),
};
