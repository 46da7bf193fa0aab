/** Changes to vendor records, as `vendorEvents` subscribers receive them. */
import type { Enquiry } from './enquiry.ts';
import type { StoredFile } from './file.ts';
import type { Lead } from './lead.ts';
import type { User } from './user.ts';
import type { Vendor } from './vendor.ts';

export type VendorEventType = 'CREATED' | 'UPDATED' | 'DELETED';
export type VendorEventSource = 'GATEWAY' | 'WEBHOOK';

/** The entity types events carry, each with the scope needed to read it. */
export const EVENT_ENTITY_SCOPES = {
  ENQUIRY: 'enquiries:read',
  USER: 'users:read',
  FILE: 'files:read',
  LEAD: 'leads:read',
} as const;
export type EventEntityType = keyof typeof EVENT_ENTITY_SCOPES;

/** The entity type's tag on each event, kept beside the entity so that the two can never disagree. */
export type VendorEventEntity =
  | { entityType: 'ENQUIRY'; entity: Enquiry }
  | { entityType: 'USER'; entity: User }
  | { entityType: 'FILE'; entity: StoredFile }
  | { entityType: 'LEAD'; entity: Lead };

/** A record that is gone: nothing is left to show but what it was and its id at the vendor. */
export interface VendorEventRemoval {
  readonly entityType: EventEntityType;
  readonly vendor: Vendor;
  readonly vendorId: string;
}

/** What changed: the entity after a create or update, only the id after a delete. */
export type VendorEventChange = (VendorEventEntity & { readonly type: 'CREATED' | 'UPDATED' }) | { readonly type: 'DELETED'; readonly entityType: EventEntityType; readonly entity: null };

export type VendorEvent = VendorEventChange & {
  readonly vendor: Vendor;
  /** The record's id at the vendor: an event about a deleted record has no entity to read it from. */
  readonly vendorId: string;
  readonly source: VendorEventSource;
  /** ISO 8601; a string so that the event crosses Redis unchanged. */
  readonly occurredAt: string;
};

/** The event for a create or update, its vendor and id taken from the entity so that they cannot disagree. */
export function changeEvent(type: 'CREATED' | 'UPDATED', change: VendorEventEntity, source: VendorEventSource, occurredAt: string): VendorEvent {
  // The spread keeps entityType and entity paired; TypeScript cannot follow a union through a spread.
  return { ...change, type, vendor: change.entity.vendor, vendorId: change.entity.vendorId, source, occurredAt } as VendorEvent;
}

/** The event for a delete: no entity, only what it was and where. */
export function removalEvent(removal: VendorEventRemoval, source: VendorEventSource, occurredAt: string): VendorEvent {
  return { type: 'DELETED', entityType: removal.entityType, entity: null, vendor: removal.vendor, vendorId: removal.vendorId, source, occurredAt };
}

export interface EventFilter {
  readonly vendor?: Vendor | null | undefined;
  /** Entity types the subscriber asked for and may read. */
  readonly entityTypes: ReadonlySet<EventEntityType>;
}

/** Publishes changes and hands out subscriptions; the server's event feed implements it. */
export interface EventFeed {
  /** Never throws and never waits on subscribers: a write's answer does not depend on who listens. */
  publish(event: VendorEvent): void;
  /**
   * The matching events from now on. `client` is the principal's id, for the per-client bound; a client over
   * it gets an error instead. `onOverflow` runs when the subscriber falls too far behind.
   */
  subscribe(client: string, filter: EventFilter, onOverflow: () => void): AsyncIterableIterator<VendorEvent>;
}

/** Thrown by `subscribe` when the client already holds as many subscriptions as it may. */
export class SubscriptionLimitError extends Error {
  constructor(readonly max: number) {
    super(`at most ${max} subscriptions per client at once; complete one before starting another`);
    this.name = 'SubscriptionLimitError';
  }
}
