/** The live event feed's bounds and de-duplication, on the in-process bus (no sockets needed to see them). */
import { describe, expect, it } from 'vitest';
import { changeEvent, removalEvent, type VendorEvent } from '../../src/domain/events.ts';
import type { User } from '../../src/domain/user.ts';
import { LocalEventBus } from '../../src/server/events/event-bus.ts';
import { LiveEvents } from '../../src/server/events/live-events.ts';

function userEvent(vendorId: string, source: VendorEvent['source'] = 'GATEWAY'): VendorEvent {
  const entity = { __typename: 'User', vendor: 'GENERIC', vendorId, modifiedAt: null } as unknown as User;
  return changeEvent('CREATED', { entityType: 'USER', entity }, source, new Date().toISOString());
}

const USERS = { entityTypes: new Set(['USER'] as const) };
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('LiveEvents', () => {
  it('drops a subscriber whose queue passes maxQueuedEvents, and frees its slot', async () => {
    const live = new LiveEvents(new LocalEventBus(), { maxQueuedEvents: 2 });
    let dropped = 0;
    const slow = live.subscribe('key:slow', USERS, () => (dropped += 1));
    for (const id of ['u1', 'u2', 'u3']) live.publish(userEvent(id));
    await settle();
    expect(dropped).toBe(1);
    expect(live.size).toBe(0);
    // What was queued is dropped with it: the subscriber is told by its socket's close, not by a gap.
    expect(await slow.next()).toEqual({ value: undefined, done: true });
  });

  it('keeps a subscriber that reads as events come', async () => {
    const live = new LiveEvents(new LocalEventBus(), { maxQueuedEvents: 1 });
    const events = live.subscribe('key:fast', USERS, () => expect.unreachable('not slow'));
    const seen: string[] = [];
    for (const id of ['u1', 'u2', 'u3']) {
      live.publish(userEvent(id));
      seen.push(((await events.next()).value as VendorEvent).vendorId);
    }
    expect(seen).toEqual(['u1', 'u2', 'u3']);
  });

  it('counts subscriptions per client and gives a slot back when one ends', async () => {
    const live = new LiveEvents(new LocalEventBus(), { maxSubscriptionsPerClient: 1 });
    const first = live.subscribe('key:a', USERS, () => undefined);
    expect(() => live.subscribe('key:a', USERS, () => undefined)).toThrow(/at most 1 subscriptions per client/);
    live.subscribe('key:b', USERS, () => undefined);
    await first.return?.();
    expect(() => live.subscribe('key:a', USERS, () => undefined)).not.toThrow();
  });

  it('delivers one change once when the write and the webhook both report it', async () => {
    const live = new LiveEvents(new LocalEventBus());
    const events = live.subscribe('key:a', USERS, () => undefined);
    live.publish(userEvent('u1', 'GATEWAY'));
    live.publish(userEvent('u1', 'WEBHOOK'));
    live.publish(userEvent('u2', 'WEBHOOK'));
    expect(((await events.next()).value as VendorEvent).vendorId).toBe('u1');
    expect(((await events.next()).value as VendorEvent).vendorId).toBe('u2');
  });

  it('delivers two writes of one record with the same modification time as two changes, and the webhook about them not again', async () => {
    const live = new LiveEvents(new LocalEventBus());
    const events = live.subscribe('key:a', USERS, () => undefined);
    const modifiedAt = new Date('2026-12-02T11:00:00Z');
    const updated = (firstName: string, source: VendorEvent['source']) => {
      const entity = { __typename: 'User', vendor: 'GENERIC', vendorId: 'u1', firstName, modifiedAt } as unknown as User;
      return changeEvent('UPDATED', { entityType: 'USER', entity }, source, new Date().toISOString());
    };
    live.publish(updated('Ann', 'GATEWAY'));
    live.publish(updated('Anna', 'GATEWAY'));
    live.publish(updated('Anna', 'WEBHOOK'));
    live.publish(userEvent('u2'));
    const seen: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const event = (await events.next()).value as VendorEvent;
      seen.push(`${event.vendorId} ${event.source} ${(event.entity as { firstName?: string } | null)?.firstName ?? '-'}`);
    }
    expect(seen).toEqual(['u1 GATEWAY Ann', 'u1 GATEWAY Anna', 'u2 GATEWAY -']);
  });

  it('delivers one delete once when the write and the webhook both report it, with no entity', async () => {
    const live = new LiveEvents(new LocalEventBus());
    const events = live.subscribe('key:a', USERS, () => undefined);
    const gone = (source: VendorEvent['source']) => removalEvent({ entityType: 'USER', vendor: 'GENERIC', vendorId: 'u1' }, source, new Date().toISOString());
    live.publish(gone('GATEWAY'));
    live.publish(gone('WEBHOOK'));
    live.publish(userEvent('u2'));
    expect((await events.next()).value).toMatchObject({ type: 'DELETED', vendorId: 'u1', entity: null, source: 'GATEWAY' });
    expect(((await events.next()).value as VendorEvent).vendorId).toBe('u2');
  });

  it('ends a waiting next() at once when the subscription is returned', async () => {
    const live = new LiveEvents(new LocalEventBus());
    const events = live.subscribe('key:a', USERS, () => undefined);
    const waiting = events.next();
    await events.return?.();
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(live.size).toBe(0);
  });
});
