import { isUpstreamError } from "../../../upstream/errors.js";
import { inputFieldFor } from "../../../vendors/carehq/mapping.js";
import { badInput, fromUpstream } from "../../errors.js";
import { fromGlobalId } from "../../global-id.js";
function newEnquiry(input) {
    const assignee = input.assigneeId ? fromGlobalId(input.assigneeId, 'User') : undefined;
    if (assignee && assignee.vendor !== 'CAREHQ')
        throw badInput('assigneeId must be a CareHQ user', { argument: 'input.assigneeId' });
    return { ...input, assigneeId: assignee?.id ?? null };
}
export const enquiryMutations = {
    createEnquiry: async (_parent, { input }, context) => {
        try {
            const enquiry = await context.vendors.carehq.createEnquiry(newEnquiry(input), context.call);
            return { enquiry };
        }
        catch (error) {
            // Field errors name our input fields, not CareHQ's form fields.
            if (isUpstreamError(error))
                throw fromUpstream(error, inputFieldFor);
            throw error;
        }
    },
};
//# sourceMappingURL=enquiries.js.map