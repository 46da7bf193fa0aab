import { offsetConnection, scopeOf } from "../../connection.js";
import { badInput } from "../../errors.js";
import { fromGlobalId } from "../../global-id.js";
function enquiryFilter(input) {
    if (!input)
        return {};
    const assignee = input.assigneeId ? fromGlobalId(input.assigneeId, 'User') : undefined;
    if (assignee && assignee.vendor !== 'CAREHQ')
        throw badInput('filter.assigneeId must be a CareHQ user', { argument: 'filter' });
    return {
        ...(input.search ? { search: input.search } : {}),
        ...(input.fundingType ? { fundingType: input.fundingType } : {}),
        ...(assignee ? { assigneeId: assignee.id } : {}),
    };
}
export const enquiryQueries = {
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
//# sourceMappingURL=enquiries.js.map