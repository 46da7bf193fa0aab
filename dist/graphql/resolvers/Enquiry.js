import { fromGlobalId, toGlobalId } from "../global-id.js";
export const Enquiry = {
    __resolveReference: async (reference, context) => {
        const { id } = fromGlobalId(reference.id, 'Enquiry');
        return context.loaders.careHqEnquiry.load(id);
    },
    id: (enquiry) => toGlobalId(enquiry.vendor, 'Enquiry', enquiry.vendorId),
    // The parent already holds the assignee's id; only the user record itself is fetched, in a batch.
    assignee: (enquiry, _args, context) => enquiry.assigneeId ? context.loaders.careHqUser.load(enquiry.assigneeId) : null,
};
//# sourceMappingURL=Enquiry.js.map