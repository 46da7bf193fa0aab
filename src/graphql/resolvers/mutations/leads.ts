import type { LeadChanges, NewLead } from '../../../domain/lead.ts';
import type { CreateLeadInput, MutationResolvers, UpdateLeadInput } from '../../__generated__/resolvers-types.ts';
import { fromGlobalId, vendorUserId } from '../../global-id.ts';
import { publishChange, publishRemoval } from '../../published-changes.ts';
import { attemptWrite } from '../../write-outcome.ts';

/**
 * A global User id as the OwnerUserID Clinicea stores: a Generic API user's id, by our convention (Lead.owner).
 * Null stays null (it clears the owner).
 */
const ownerId = <T extends string | null | undefined>(owner: T) => vendorUserId(owner, 'GENERIC', 'input.ownerId', 'a Generic API user');

function newLead(input: CreateLeadInput): NewLead {
  return { ...input, ownerId: ownerId(input.ownerId) };
}

/** Only the keys the caller gave: an omitted field is left alone, an explicit null clears it. */
function leadChanges(input: UpdateLeadInput): LeadChanges {
  const { ownerId: owner, ...rest } = input;
  return 'ownerId' in input ? { ...rest, ownerId: ownerId(owner) } : rest;
}

/** The Clinicea LeadID of a Lead global id (only Clinicea serves leads). */
function leadId(id: string): string {
  return fromGlobalId(id, 'Lead').id;
}

export const leadMutations: MutationResolvers = {
  createLead: async (_parent, { input }, context) => {
    const lead = newLead(input);
    const outcome = await attemptWrite(() => context.vendors.clinicea.createLead(lead, context.call));
    if (outcome.value) publishChange(context, 'CREATED', { entityType: 'LEAD', entity: outcome.value });
    return { lead: outcome.value, fieldErrors: outcome.fieldErrors };
  },
  updateLead: async (_parent, { id, input }, context) => {
    const vendorId = leadId(id);
    const changes = leadChanges(input);
    const outcome = await attemptWrite(() => context.vendors.clinicea.updateLead(vendorId, changes, context.call));
    // A later field of this request reads the lead as it now is, not as the request's loader first saw it.
    context.loaders.cliniceaLead.clear(vendorId);
    if (outcome.value) {
      context.loaders.cliniceaLead.prime(vendorId, outcome.value);
      publishChange(context, 'UPDATED', { entityType: 'LEAD', entity: outcome.value });
    }
    return { lead: outcome.value, fieldErrors: outcome.fieldErrors };
  },
  deleteLead: async (_parent, { id }, context) => {
    const vendorId = leadId(id);
    const outcome = await attemptWrite(() => context.vendors.clinicea.deleteLead(vendorId, context.call));
    context.loaders.cliniceaLead.clear(vendorId);
    const deleted = outcome.fieldErrors.length === 0;
    if (deleted) publishRemoval(context, { entityType: 'LEAD', vendor: 'CLINICEA', vendorId });
    return { deletedLeadId: deleted ? id : null, fieldErrors: outcome.fieldErrors };
  },
};
