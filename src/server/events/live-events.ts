/**
 * The live event feed behind `vendorEvents`: writes and verified webhooks publish here, the bus carries each
 * event to every replica, and each replica hands it to its matching subscribers.
 *
 * Bounded everywhere: subscriptions per client, events queued per subscriber (a subscriber that falls behind
 * is dropped: `onOverflow`), and the memory of recent events kept to deliver one change once when both the
 * gateway's write and the vendor's webhook about it arrive.
 */
import { LRUCache } from 'lru-cache';
import { SubscriptionLimitError, type EventFeed, type EventFilter, type VendorEvent, type VendorEventSource } from '../../domain/events.ts';
import type { EventBus } from './event-bus.ts';
import { EventQueue } from './event-queue.ts';

export interface LiveEventsOptions {
  /** Subscriptions one client (key name, JWT subject, anonymous) may hold at once on this replica. Default 20. */
  readonly maxSubscriptionsPerClient?: number;
  /** Events waiting for one slow subscriber before it is dropped. Default 100. */
  readonly maxQueuedEvents?: number;
  /** How long a delivered change is remembered so that a second report of it is not delivered again, ms. Default 10000. */
  readonly dedupeWindowMs?: number;
  /** Most changes remembered for that at once. Default 10000. */
  readonly maxRemembered?: number;
}

/** The defaults; config.ts's MAX_SUBSCRIPTIONS_PER_CLIENT and MAX_QUEUED_EVENTS match them (a test keeps them in step). */
export const LIVE_EVENT_DEFAULTS = Object.freeze({ maxSubscriptionsPerClient: 20, maxQueuedEvents: 100, dedupeWindowMs: 10_000, maxRemembered: 10_000 });

interface Subscriber {
  readonly filter: EventFilter;
  readonly queue: EventQueue<VendorEvent>;
}

export class LiveEvents implements EventFeed {
  private readonly settings: Readonly<Required<LiveEventsOptions>>;
  private readonly subscribers = new Set<Subscriber>();
  private readonly perClient = new Map<string, number>();
  /** Each change delivered lately -> who reported it first. */
  private readonly recent: LRUCache<string, VendorEventSource>;

  constructor(
    private readonly bus: EventBus,
    options: LiveEventsOptions = {},
  ) {
    const settings = { ...LIVE_EVENT_DEFAULTS, ...options };
    for (const [name, value] of Object.entries(settings)) {
      if (!Number.isInteger(value) || value < 1) throw new Error(`expected ${name} to be a whole number >= 1, got ${String(value)}`);
    }
    this.settings = Object.freeze(settings);
    this.recent = new LRUCache({ max: settings.maxRemembered, ttl: settings.dedupeWindowMs });
    bus.listen((event) => this.deliver(event));
  }

  /** Subscriptions open on this replica. */
  get size(): number {
    return this.subscribers.size;
  }

  publish(event: VendorEvent): void {
    this.bus.publish(event);
  }

  subscribe(client: string, filter: EventFilter, onOverflow: () => void): AsyncIterableIterator<VendorEvent> {
    const held = this.perClient.get(client) ?? 0;
    if (held >= this.settings.maxSubscriptionsPerClient) throw new SubscriptionLimitError(this.settings.maxSubscriptionsPerClient);
    this.perClient.set(client, held + 1);
    const subscriber: Subscriber = {
      filter,
      queue: new EventQueue<VendorEvent>({
        maxQueued: this.settings.maxQueuedEvents,
        onOverflow,
        onEnd: () => {
          this.subscribers.delete(subscriber);
          const left = (this.perClient.get(client) ?? 1) - 1;
          if (left > 0) this.perClient.set(client, left);
          else this.perClient.delete(client);
        },
      }),
    };
    this.subscribers.add(subscriber);
    return subscriber.queue;
  }

  /** Ends every subscription (a drain); their sockets are closed by the websocket server. */
  async close(): Promise<void> {
    for (const { queue } of [...this.subscribers]) await queue.return();
    await this.bus.close();
  }

  private deliver(event: VendorEvent): void {
    const key = changeKey(event);
    // Only the other side's report is the same change again. Two reports from one side are two changes: the
    // gateway sends each write once and webhook redeliveries are dropped by id, yet two updates within one
    // second share a modification time where the vendor keeps whole seconds (Clinicea).
    const first = this.recent.get(key);
    if (first !== undefined && first !== event.source) return;
    if (first === undefined) this.recent.set(key, event.source);
    for (const { filter, queue } of this.subscribers) {
      if (filter.vendor && filter.vendor !== event.vendor) continue;
      if (!filter.entityTypes.has(event.entityType)) continue;
      queue.push(event);
    }
  }
}

/**
 * One change, however it was reported: the gateway's write and the vendor's webhook about it name the same
 * record, the same kind of change and (for updates) the same modification time. A record is created once and
 * deleted once, so those need no time.
 */
function changeKey(event: VendorEvent): string {
  const modified = event.type === 'UPDATED' ? String(event.entity.modifiedAt ? new Date(event.entity.modifiedAt).getTime() : event.occurredAt) : '';
  return [event.type, event.vendor, event.entityType, event.vendorId, modified].join('\u0000');
}
