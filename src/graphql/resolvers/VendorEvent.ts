import type { EventEntityType } from '../../domain/events.ts';
import type { VendorEventResolvers } from '../__generated__/resolvers-types.ts';
import { toGlobalId } from '../global-id.ts';

/** The GraphQL type each entity type's ids name. */
const TYPE_NAME: Readonly<Record<EventEntityType, string>> = { ENQUIRY: 'Enquiry', USER: 'User', FILE: 'File', LEAD: 'Lead' };

export const VendorEvent: VendorEventResolvers = {
  // Made from the vendor id, not from the entity: a deleted record has none, and its id must still match the
  // one the client holds from before.
  entityId: (event) => toGlobalId(event.vendor, TYPE_NAME[event.entityType], event.vendorId),
};
