/** What the gateway's own writes tell `vendorEvents` subscribers, on every replica. */
import { changeEvent, removalEvent, type VendorEventEntity, type VendorEventRemoval } from '../domain/events.ts';
import type { GraphQLContext } from './context.ts';

type Events = Pick<GraphQLContext, 'events'>;

/**
 * Publishes one create or update made through this gateway; the write's answer never waits for it. Call it only
 * once the vendor has accepted the write: a refused one (field errors) changed nothing.
 */
export function publishChange(context: Events, type: 'CREATED' | 'UPDATED', change: VendorEventEntity): void {
  context.events.publish(changeEvent(type, change, 'GATEWAY', new Date().toISOString()));
}

/** Publishes one delete made through this gateway, once the vendor has accepted it. */
export function publishRemoval(context: Events, removal: VendorEventRemoval): void {
  context.events.publish(removalEvent(removal, 'GATEWAY', new Date().toISOString()));
}
