import type { EnquiryChanges, NewEnquiry } from '../../../domain/enquiry.ts';
import { isUpstreamError } from '../../../upstream/errors.ts';
import { inputFieldFor } from '../../../vendors/carehq/mapping.ts';
import type { CreateEnquiryInput, MutationResolvers, UpdateEnquiryInput } from '../../__generated__/resolvers-types.ts';
import { fromUpstream } from '../../errors.ts';
import { fromGlobalId, vendorUserId } from '../../global-id.ts';
import { publishChange, publishRemoval } from '../../published-changes.ts';
import { attemptWrite } from '../../write-outcome.ts';

/** A global User id as the CareHQ user id the form carries; null stays null (it clears the assignee). */
const careHqAssignee = <T extends string | null | undefined>(assigneeId: T) =>
  vendorUserId(assigneeId, 'CAREHQ', 'input.assigneeId', 'a CareHQ user');

function newEnquiry(input: CreateEnquiryInput): NewEnquiry {
  return { ...input, assigneeId: careHqAssignee(input.assigneeId) ?? null };
}

/** Only the keys the caller gave: an omitted field is left alone, an explicit null clears it. */
function enquiryChanges(input: UpdateEnquiryInput): EnquiryChanges {
  const { assigneeId, ...rest } = input;
  return 'assigneeId' in input ? { ...rest, assigneeId: careHqAssignee(assigneeId) } : rest;
}

/** The CareHQ id of an Enquiry global id (only CareHQ serves enquiries, so the id's shape check pinned it). */
function enquiryId(id: string): string {
  return fromGlobalId(id, 'Enquiry').id;
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
  updateEnquiry: async (_parent, { id, input }, context) => {
    const vendorId = enquiryId(id);
    const changes = enquiryChanges(input);
    const outcome = await attemptWrite(() => context.vendors.carehq.updateEnquiry(vendorId, changes, context.call), inputFieldFor);
    // A later field of this request reads the record as it now is, not as the request's loader first saw it.
    context.loaders.careHqEnquiry.clear(vendorId);
    if (outcome.value) {
      context.loaders.careHqEnquiry.prime(vendorId, outcome.value);
      publishChange(context, 'UPDATED', { entityType: 'ENQUIRY', entity: outcome.value });
    }
    return { enquiry: outcome.value, fieldErrors: outcome.fieldErrors };
  },
  deleteEnquiry: async (_parent, { id }, context) => {
    const vendorId = enquiryId(id);
    const outcome = await attemptWrite(() => context.vendors.carehq.deleteEnquiry(vendorId, context.call), inputFieldFor);
    context.loaders.careHqEnquiry.clear(vendorId);
    const deleted = outcome.fieldErrors.length === 0;
    if (deleted) publishRemoval(context, { entityType: 'ENQUIRY', vendor: 'CAREHQ', vendorId });
    return { deletedEnquiryId: deleted ? id : null, fieldErrors: outcome.fieldErrors };
  },
};
