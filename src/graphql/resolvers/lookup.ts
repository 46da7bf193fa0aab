/** Global id -> record, through the request's loaders. Shared by `node`, the `x(id:)` fields and references. */
import type { Client } from '../../domain/client.ts';
import type { Enquiry } from '../../domain/enquiry.ts';
import type { StoredFile } from '../../domain/file.ts';
import type { Lead } from '../../domain/lead.ts';
import type { User } from '../../domain/user.ts';
import type { GraphQLContext } from '../context.ts';
import type { GlobalId } from '../global-id.ts';

export type NodeModel = Enquiry | User | Lead | Client | StoredFile;

export async function loadUser(id: GlobalId, context: GraphQLContext): Promise<User | null> {
  switch (id.vendor) {
    case 'CAREHQ':
      return context.loaders.careHqUser.load(id.id);
    case 'CASEWARE':
      return context.loaders.casewareUser.load(id.id);
    case 'GENERIC':
      return context.loaders.genericUser.load(id.id);
    default:
      return null;
  }
}

export async function loadNode(id: GlobalId, context: GraphQLContext): Promise<NodeModel | null> {
  const { loaders } = context;
  switch (`${id.vendor}:${id.type}`) {
    case 'CAREHQ:Enquiry':
      return loaders.careHqEnquiry.load(id.id);
    case 'CLINICEA:Lead':
      return loaders.cliniceaLead.load(id.id);
    case 'CASEWARE:Client':
      return loaders.casewareClient.load(id.id);
    case 'CARECLOUD:File':
      return loaders.carecloudFile.load(id.id);
    default:
      return id.type === 'User' ? loadUser(id, context) : null;
  }
}

/** Records of one vendor by vendor id, dropping unknown ones; a failed lookup fails the field. */
export async function loadAll<T>(loader: { loadMany(keys: readonly string[]): Promise<Array<T | null | Error>> }, ids: readonly string[]): Promise<T[]> {
  const results = await loader.loadMany(ids);
  const failure = results.find((r): r is Error => r instanceof Error);
  if (failure) throw failure;
  return results.filter((r): r is Awaited<T> & {} => r !== null) as T[];
}
