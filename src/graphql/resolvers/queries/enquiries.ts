import type { EnquiryFilter, EnquiryOrder } from '../../../domain/enquiry.ts';
import type {
  EnquiryFilter as EnquiryFilterInput,
  EnquiryOrder as EnquiryOrderInput,
  QueryResolvers,
} from '../../__generated__/resolvers-types.ts';
import { offsetConnection, scopeOf } from '../../connection.ts';
import { badInput } from '../../errors.ts';
import { fromGlobalId } from '../../global-id.ts';
import { selects } from '../../selection.ts';

function enquiryFilter(input: EnquiryFilterInput | null | undefined): EnquiryFilter {
  if (!input) return {};
  const assignee = input.assigneeId ? fromGlobalId(input.assigneeId, 'User') : undefined;
  if (assignee && assignee.vendor !== 'CAREHQ') throw badInput('filter.assigneeId must be a CareHQ user', { argument: 'filter' });
  if (input.createdFrom && input.createdTo && input.createdFrom > input.createdTo) {
    throw badInput('filter.createdFrom must not be after filter.createdTo', { argument: 'filter' });
  }
  return {
    ...(input.search ? { search: input.search } : {}),
    ...(input.fundingType ? { fundingType: input.fundingType } : {}),
    ...(assignee ? { assigneeId: assignee.id } : {}),
    ...(input.createdFrom ? { createdFrom: input.createdFrom } : {}),
    ...(input.createdTo ? { createdTo: input.createdTo } : {}),
    ...(input.locationId ? { locationId: input.locationId } : {}),
  };
}

/** The order argument as the domain's, its direction defaulted as the schema says. */
export function enquiryOrder(input: EnquiryOrderInput | null | undefined): EnquiryOrder | undefined {
  return input ? { field: input.field, direction: input.direction ?? 'ASC' } : undefined;
}

export const enquiryQueries: QueryResolvers = {
  enquiry: (_parent, { id }, context) => {
    const decoded = fromGlobalId(id, 'Enquiry');
    return decoded.vendor === 'CAREHQ' ? context.loaders.careHqEnquiry.load(decoded.id) : null;
  },
  enquiries: async (_parent, args, context, info) => {
    const filter = enquiryFilter(args.filter);
    const order = enquiryOrder(args.orderBy);
    const source = context.vendors.carehq.enquiries(filter, context.call, order);
    // Positions are offsets into this filter's list in this order, so a cursor is scoped to both. Without an
    // order the scope is the filter's alone, as before orders existed, so cursors already issued stay valid.
    const connection = await offsetConnection(source, args, context.vendors.cursors, scopeOf('enquiries', { ...filter, orderBy: order }));
    // The assignees the page will ask for, loaded in the same one batch before graphql-js completes the page,
    // so that each Enquiry.assignee then answers with a value rather than a promise.
    if (context.principal.can('users:read') && (selects(info, ['nodes', 'assignee']) || selects(info, ['edges', 'node', 'assignee']))) {
      const ids = connection.edges.flatMap((edge) => (edge.node.assigneeId ? [edge.node.assigneeId] : []));
      await context.loaders.careHqUser.loadMany(ids);
    }
    return connection;
  },
};
