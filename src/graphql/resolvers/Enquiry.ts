import type { EnquiryResolvers } from '../__generated__/resolvers-types.ts';
import { globalIdOf } from '../global-id.ts';
import { fromReference } from '../references.ts';

export const Enquiry: EnquiryResolvers = {
  __resolveReference: (reference, context) => context.loaders.careHqEnquiry.load(fromReference(reference, 'Enquiry').id),
  id: (enquiry) => globalIdOf(enquiry, 'Enquiry'),
  // The parent already holds the assignee's id; only the user record itself is fetched, in a batch. A list of
  // enquiries has usually loaded it already (Query.enquiries), and then it is answered without a promise.
  assignee: (enquiry, _args, context) =>
    enquiry.assigneeId ? context.loaders.careHqUser.loadOrKnown(enquiry.assigneeId) : null,
};
