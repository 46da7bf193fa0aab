/** Global id -> record, through the request's loaders. Shared by `node`, `user` and entity references. */
import type { Enquiry } from '../../domain/enquiry.ts';
import type { User } from '../../domain/user.ts';
import type { GraphQLContext } from '../context.ts';
import type { GlobalId } from '../global-id.ts';

export async function loadUser(id: GlobalId, context: GraphQLContext): Promise<User | null> {
  switch (id.vendor) {
    case 'CAREHQ':
      return context.loaders.careHqUser.load(id.id);
    default:
      return null;
  }
}

export async function loadNode(id: GlobalId, context: GraphQLContext): Promise<Enquiry | User | null> {
  switch (id.type) {
    case 'Enquiry':
      return id.vendor === 'CAREHQ' ? context.loaders.careHqEnquiry.load(id.id) : null;
    case 'User':
      return loadUser(id, context);
    default:
      return null;
  }
}
