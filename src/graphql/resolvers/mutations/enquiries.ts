import type { NewEnquiry } from '../../../domain/enquiry.ts';
import { isUpstreamError } from '../../../upstream/errors.ts';
import { inputFieldFor } from '../../../vendors/carehq/mapping.ts';
import type { CreateEnquiryInput, MutationResolvers } from '../../__generated__/resolvers-types.ts';
import { badInput, fromUpstream } from '../../errors.ts';
import { fromGlobalId } from '../../global-id.ts';
import { publishChange } from '../../published-changes.ts';

function newEnquiry(input: CreateEnquiryInput): NewEnquiry {
  const assignee = input.assigneeId ? fromGlobalId(input.assigneeId, 'User') : undefined;
  if (assignee && assignee.vendor !== 'CAREHQ') throw badInput('assigneeId must be a CareHQ user', { argument: 'input.assigneeId' });
  return { ...input, assigneeId: assignee?.id ?? null };
}

export const enquiryMutations: MutationResolvers = {
  createEnquiry: async (_parent, { input }, context) => {
    try {
      const enquiry = await context.vendors.carehq.createEnquiry(newEnquiry(input), context.call);
      publishChange(context, 'CREATED', { entityType: 'ENQUIRY', entity: enquiry });
      return { enquiry };
    } catch (error) {
      // Field errors name our input fields, not CareHQ's form fields.
      if (isUpstreamError(error)) throw fromUpstream(error, inputFieldFor);
      throw error;
    }
  },
};
