import type { LeadResolvers } from '../__generated__/resolvers-types.ts';
import { globalIdOf } from '../global-id.ts';
import { fromReference } from '../references.ts';

export const Lead: LeadResolvers = {
  __resolveReference: (reference, context) => context.loaders.cliniceaLead.load(fromReference(reference, 'Lead').id),
  id: (lead) => globalIdOf(lead, 'Lead'),
  // Lead owners live in the Generic API's user directory (our mapping of Clinicea's OwnerUserID).
  owner: (lead, _args, context) => (lead.ownerId ? context.loaders.genericUser.load(lead.ownerId) : null),
};
