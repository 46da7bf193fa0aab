/**
 * How events reach every replica's subscribers: in this process alone, or through Redis pub/sub when Redis is
 * configured. Redis takes a second connection for it (a subscribed connection can send no other commands).
 * While Redis is away, events still reach this replica's own subscribers: a Redis outage narrows delivery to
 * one replica, it never silences it.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { VendorEvent } from '../../domain/events.ts';
import { RedisGate, UNAVAILABLE } from '../../upstream/redis-gate.ts';

export type EventListener = (event: VendorEvent) => void;

export interface EventBus {
  /** Sends `event` to every replica's listener; never throws, never waits for a listener. */
  publish(event: VendorEvent): void;
  /** The one listener of this replica (the live event feed), told of events from every replica. */
  listen(listener: EventListener): void;
  close(): Promise<void>;
}

export class LocalEventBus implements EventBus {
  private listener: EventListener | undefined;

  publish(event: VendorEvent): void {
    // Later, not inside the writer's resolver: its answer must not wait on subscribers.
    queueMicrotask(() => this.listener?.(event));
  }

  listen(listener: EventListener): void {
    this.listener = listener;
  }

  close(): Promise<void> {
    this.listener = undefined;
    return Promise.resolve();
  }
}

export interface RedisEventBusOptions {
  /** The pub/sub channel; every replica of one deployment must use the same. Default `vendor-graph:events`. */
  readonly channel?: string;
  readonly logger?: Logger;
}

export class RedisEventBus implements EventBus {
  private readonly local = new LocalEventBus();
  private readonly gate: RedisGate;
  private readonly subscriber: Redis;
  private readonly channel: string;

  constructor(redis: Redis, options: RedisEventBusOptions = {}) {
    this.channel = options.channel ?? 'vendor-graph:events';
    this.gate = new RedisGate(redis, { name: 'live events', logger: options.logger });
    this.subscriber = redis.duplicate();
    // Reconnects are ioredis's job (it subscribes again by itself); each failure is not worth a log line.
    this.subscriber.on('error', () => undefined);
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.channel) return;
      const event = parse(message);
      if (event) this.local.publish(event);
      else options.logger?.warn({ channel }, 'live events: ignored a message that is not an event');
    });
    // Subscribed on every (re)connect: with the offline queue off (fail fast), a command sent before the
    // connection is ready fails rather than waiting for it.
    this.subscriber.on('ready', () => {
      this.subscriber.subscribe(this.channel).catch((error: unknown) => {
        options.logger?.warn({ err: error }, 'live events: subscribing to Redis failed; tried again on reconnect');
      });
    });
  }

  publish(event: VendorEvent): void {
    // Our own subscriber hears what we publish, so this replica is served from Redis like every other one;
    // only when that path is down are local subscribers served directly.
    if (this.subscriber.status !== 'ready') {
      this.local.publish(event);
      void this.gate.run((redis) => redis.publish(this.channel, JSON.stringify(event)));
      return;
    }
    void this.gate.run((redis) => redis.publish(this.channel, JSON.stringify(event))).then((answer) => {
      if (answer === UNAVAILABLE) this.local.publish(event);
    });
  }

  listen(listener: EventListener): void {
    this.local.listen(listener);
  }

  async close(): Promise<void> {
    await this.local.close();
    this.subscriber.disconnect();
  }
}

function parse(message: string): VendorEvent | undefined {
  try {
    const value = JSON.parse(message) as Partial<VendorEvent> | null;
    if (!value || typeof value !== 'object' || typeof value.type !== 'string' || typeof value.entityType !== 'string') return undefined;
    if (typeof value.vendorId !== 'string') return undefined;
    // A delete carries no entity; every other change carries the entity after it.
    if (value.type === 'DELETED' ? value.entity !== null : !value.entity || typeof value.entity !== 'object') return undefined;
    return value as VendorEvent;
  } catch {
    return undefined;
  }
}
