/** Changes to vendor records, as `vendorEvents` subscribers receive them. */
import type { Enquiry } from './enquiry.ts';
import type { StoredFile } from './file.ts';
import type { User } from './user.ts';
import type { Vendor } from './vendor.ts';

export type VendorEventType = 'CREATED' | 'UPDATED' | 'DELETED';
export type VendorEventSource = 'GATEWAY' | 'WEBHOOK';

/** The entity types events carry, each with the scope needed to read it. */
export const EVENT_ENTITY_SCOPES = {
  ENQUIRY: 'enquiries:read',
  USER: 'users:read',
  FILE: 'files:read',
} as const;
export type EventEntityType = keyof typeof EVENT_ENTITY_SCOPES;

/** The entity type's tag on each event, kept beside the entity so that the two can never disagree. */
export type VendorEventEntity = { entityType: 'ENQUIRY'; entity: Enquiry } | { entityType: 'USER'; entity: User } | { entityType: 'FILE'; entity: StoredFile };

export type VendorEvent = VendorEventEntity & {
  readonly type: VendorEventType;
  readonly vendor: Vendor;
  readonly source: VendorEventSource;
  /** ISO 8601; a string so that the event crosses Redis unchanged. */
  readonly occurredAt: string;
};

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
