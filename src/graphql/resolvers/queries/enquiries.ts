import type { EnquiryFilter } from '../../../domain/enquiry.ts';
import type { EnquiryFilter as EnquiryFilterInput, QueryResolvers } from '../../__generated__/resolvers-types.ts';
import { offsetConnection, scopeOf } from '../../connection.ts';
import { badInput } from '../../errors.ts';
import { fromGlobalId } from '../../global-id.ts';
import { selects } from '../../selection.ts';

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

export const enquiryQueries: QueryResolvers = {
  enquiry: (_parent, { id }, context) => {
    const decoded = fromGlobalId(id, 'Enquiry');
    return decoded.vendor === 'CAREHQ' ? context.loaders.careHqEnquiry.load(decoded.id) : null;
  },
  enquiries: async (_parent, args, context, info) => {
    const filter = enquiryFilter(args.filter);
    const source = context.vendors.carehq.enquiries(filter, context.call);
    const connection = await offsetConnection(source, args, context.vendors.cursors, scopeOf('enquiries', filter));
    // The assignees the page will ask for, loaded in the same one batch before graphql-js completes the page,
    // so that each Enquiry.assignee then answers with a value rather than a promise.
    if (context.principal.can('users:read') && (selects(info, ['nodes', 'assignee']) || selects(info, ['edges', 'node', 'assignee']))) {
      const ids = connection.edges.flatMap((edge) => (edge.node.assigneeId ? [edge.node.assigneeId] : []));
      await context.loaders.careHqUser.loadMany(ids);
    }
    return connection;
  },
};
