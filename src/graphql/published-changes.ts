/** What the gateway's own writes tell `vendorEvents` subscribers, on every replica. */
import type { VendorEvent, VendorEventEntity, VendorEventType } from '../domain/events.ts';
import type { GraphQLContext } from './context.ts';

/** Publishes one change made through this gateway; the write's answer never waits for it. */
export function publishChange(context: Pick<GraphQLContext, 'events'>, type: VendorEventType, change: VendorEventEntity): void {
  const event = { ...change, type, vendor: change.entity.vendor, source: 'GATEWAY', occurredAt: new Date().toISOString() } as VendorEvent;
  context.events.publish(event);
}
