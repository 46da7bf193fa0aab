import type { EnquiryFilter } from '../../domain/enquiry.ts';
import type { QueryResolvers } from '../__generated__/resolvers-types.ts';
import type { EnquiryFilter as EnquiryFilterInput } from '../__generated__/resolvers-types.ts';
import { offsetConnection, scopeOf } from '../connection.ts';
import { badInput } from '../errors.ts';
import { fromGlobalId } from '../global-id.ts';
import { loadNode, loadUser } from './lookup.ts';

const MAX_NODES = 100;

function enquiryFilter(input: EnquiryFilterInput | null | undefined): EnquiryFilter {
  if (!input) return {};
  const assignee = input.assigneeId ? fromGlobalId(input.assigneeId, 'User') : undefined;
  if (assignee && assignee.vendor !== 'CAREHQ') throw badInput('filter.assigneeId must be a CareHQ user', { argument: 'filter' });
  return {
    ...(input.search ? { search: input.search } : {}),
    ...(input.fundingType ? { fundingType: input.fundingType } : {}),
    ...(assignee ? { assigneeId: assignee.id } : {}),
  };
}

export const Query: QueryResolvers = {
  node: (_parent, { id }, context) => loadNode(fromGlobalId(id), context),
  nodes: (_parent, { ids }, context) => {
    if (ids.length > MAX_NODES) throw badInput(`at most ${MAX_NODES} ids at once, got ${ids.length}`, { argument: 'ids' });
    // Decode all first so one malformed id fails the field before any upstream call is made.
    const decoded = ids.map((id) => fromGlobalId(id));
    return Promise.all(decoded.map((id) => loadNode(id, context)));
  },
  user: (_parent, { id }, context) => loadUser(fromGlobalId(id, 'User'), context),
  enquiry: (_parent, { id }, context) => {
    const decoded = fromGlobalId(id, 'Enquiry');
    return decoded.vendor === 'CAREHQ' ? context.loaders.careHqEnquiry.load(decoded.id) : null;
  },
  enquiries: (_parent, args, context) => {
    const filter = enquiryFilter(args.filter);
    const source = context.vendors.carehq.enquiries(filter, context.call);
    return offsetConnection(source, args, context.vendors.cursors, scopeOf('enquiries', filter));
  },
};
