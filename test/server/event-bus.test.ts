/**
 * Events across replicas through a real Redis: a delete (no entity) crosses as it is, and a message that is not
 * an event (a change other than a delete without its entity, say) is ignored rather than delivered.
 */
import type { ChildProcess } from 'node:child_process';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeEvent, removalEvent, type VendorEvent } from '../../src/domain/events.ts';
import type { User } from '../../src/domain/user.ts';
import { RedisEventBus } from '../../src/server/events/event-bus.ts';
import { failFastClient, freePort, ready, startRedisServer, stopRedisServer, uniquePrefix } from '../helpers/redis.ts';

let server: ChildProcess;
let port: number;
const clients: Redis[] = [];
const buses: RedisEventBus[] = [];

beforeAll(async () => {
  port = await freePort();
  server = await startRedisServer(port);
});
afterAll(async () => {
  for (const bus of buses) await bus.close();
  for (const client of clients) client.disconnect();
  await stopRedisServer(server);
});

async function bus(channel: string): Promise<{ bus: RedisEventBus; redis: Redis; heard: VendorEvent[] }> {
  const redis = failFastClient(port);
  clients.push(redis);
  await ready(redis);
  const made = new RedisEventBus(redis, { channel });
  buses.push(made);
  const heard: VendorEvent[] = [];
  made.listen((event) => heard.push(event));
  return { bus: made, redis, heard };
}

describe('RedisEventBus', () => {
  it('carries a DELETED event with its vendor id and a null entity to another replica, and ignores a change without its entity', async () => {
    const channel = `${uniquePrefix()}events`;
    const [a, b] = [await bus(channel), await bus(channel)];
    // Each bus subscribes once its second connection is ready; until both have, a message could miss one.
    const subscribers = async () => ((await a.redis.call('PUBSUB', 'NUMSUB', channel)) as [string, number])[1];
    await expect.poll(subscribers, { timeout: 10_000, interval: 20 }).toBe(2);

    const gone = removalEvent({ entityType: 'LEAD', vendor: 'CLINICEA', vendorId: 'lead-1' }, 'GATEWAY', '2026-12-02T11:00:00.000Z');
    const entityless = { ...changeEvent('UPDATED', { entityType: 'USER', entity: { vendor: 'GENERIC', vendorId: 'u1' } as unknown as User }, 'GATEWAY', gone.occurredAt), entity: null };
    // Sent first on the same connection as the delete, so it would arrive first if it were let through.
    await a.redis.publish(channel, JSON.stringify(entityless));
    a.bus.publish(gone);
    await expect.poll(() => b.heard.length, { timeout: 10_000, interval: 20 }).toBe(1);
    expect(b.heard).toEqual([gone]);
    expect(a.heard).toEqual([gone]);
  });
});
