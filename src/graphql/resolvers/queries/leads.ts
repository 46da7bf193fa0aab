import type { LeadQuery } from '../../../domain/lead.ts';
import type { LeadFilter, QueryResolvers } from '../../__generated__/resolvers-types.ts';
import { offsetConnection, scopeOf } from '../../connection.ts';
import { badInput } from '../../errors.ts';
import { fromGlobalId } from '../../global-id.ts';

function leadQuery(changedSince: Date | null | undefined, filter: LeadFilter | null | undefined): LeadQuery {
  if (filter?.createdFrom && filter.createdTo && filter.createdFrom > filter.createdTo) {
    throw badInput('filter.createdFrom must not be after filter.createdTo', { argument: 'filter' });
  }
  return {
    ...(changedSince ? { changedSince } : {}),
    ...(filter?.createdFrom ? { createdFrom: filter.createdFrom } : {}),
    ...(filter?.createdTo ? { createdTo: filter.createdTo } : {}),
  };
}

export const leadQueries: QueryResolvers = {
  lead: (_parent, { id }, context) => {
    const decoded = fromGlobalId(id, 'Lead');
    return decoded.vendor === 'CLINICEA' ? context.loaders.cliniceaLead.load(decoded.id) : null;
  },
  leads: async (_parent, args, context) => {
    // Taken before any page is read, so a change made during the read is caught by the next sync.
    const syncedAt = new Date();
    const query = leadQuery(args.changedSince, args.filter);
    const source = context.vendors.clinicea.leads(query, context.call);
    const connection = await offsetConnection(source, args, context.vendors.cursors, scopeOf('leads', query));
    return { ...connection, syncedAt };
  },
};
