/**
 * The capability memory: what each vendor supports of our extensions, per process and shared through Redis
 * (127.0.0.1:6379, a key prefix per test), bounded, and never failing a call when Redis is away.
 */
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Capabilities, RedisCapabilityStore, refusedExtension, sharedCapabilities } from '../../src/upstream/capabilities.ts';
import { UpstreamError, problemForStatus } from '../../src/upstream/errors.ts';
import { failFastClient, freePort, ready, uniquePrefix } from '../helpers/redis.ts';

let redis: Redis;
beforeAll(async () => {
  redis = failFastClient();
  await ready(redis);
});
afterAll(async () => {
  await redis.quit();
});

describe('capability memory in one process', () => {
  it('knows nothing until told, then keeps each vendor and extension apart', async () => {
    const memory = new Capabilities();
    expect(await memory.support('generic', 'users?ids')).toBeUndefined();
    await memory.remember('generic', 'users?ids', 'unsupported');
    await memory.remember('carehq', 'users?filters-ids', 'supported');
    expect(await memory.support('generic', 'users?ids')).toBe('unsupported');
    expect(await memory.support('carehq', 'users?filters-ids')).toBe('supported');
    expect(await memory.support('generic', 'users/{id}')).toBeUndefined();
    // A later try may show otherwise: the newest verdict stands.
    await memory.remember('carehq', 'users?filters-ids', 'unsupported');
    expect(memory.snapshot()).toEqual({ 'generic:users?ids': 'unsupported', 'carehq:users?filters-ids': 'unsupported' });
  });

  it('logs each new verdict once, so an operator sees why a vendor costs more calls', async () => {
    const lines: Array<{ level: number; vendor?: string; extension?: string; msg: string }> = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as (typeof lines)[number]) });
    const memory = new Capabilities({ logger });
    await memory.remember('generic', 'users?ids', 'unsupported');
    await memory.remember('generic', 'users?ids', 'unsupported');
    await memory.remember('carehq', 'users?filters-ids', 'supported');
    expect(lines.map(({ level, vendor, extension, msg }) => ({ level, vendor, extension, msg }))).toEqual([
      { level: 40, vendor: 'generic', extension: 'users?ids', msg: 'vendor extension not supported: using documented calls' },
      { level: 30, vendor: 'carehq', extension: 'users?filters-ids', msg: 'vendor extension supported' },
    ]);
  });

  it('lists one vendor’s verdicts with when each was learnt; the same verdict again keeps its time, a new one restarts it', async () => {
    let now = 1_000;
    const memory = new Capabilities({ now: () => now });
    await memory.remember('carehq', 'users?filters-ids', 'supported');
    now = 2_000;
    await memory.remember('carehq', 'care-enquiries?filters-created_from/to', 'unsupported');
    await memory.remember('generic', 'users?ids', 'unsupported');
    now = 3_000;
    await memory.remember('carehq', 'users?filters-ids', 'supported');
    expect(memory.learned('carehq')).toEqual([
      { extension: 'care-enquiries?filters-created_from/to', support: 'unsupported', since: 2_000 },
      { extension: 'users?filters-ids', support: 'supported', since: 1_000 },
    ]);
    now = 4_000;
    await memory.remember('carehq', 'users?filters-ids', 'unsupported');
    expect(memory.learned('carehq')[1]).toEqual({ extension: 'users?filters-ids', support: 'unsupported', since: 4_000 });
    expect(memory.learned('clinicea')).toEqual([]);
  });

  it('is bounded: past maxEntries the verdict learnt longest ago is forgotten', async () => {
    const memory = new Capabilities({ maxEntries: 3 });
    for (const ext of ['a', 'b', 'c', 'd', 'e']) await memory.remember('v', ext, 'supported');
    expect(Object.keys(memory.snapshot())).toEqual(['v:c', 'v:d', 'v:e']);
    expect(await memory.support('v', 'a')).toBeUndefined();
  });

  it.each([0, 1.5, -1])('refuses maxEntries %s, saying what it expected', (maxEntries) => {
    expect(() => new Capabilities({ maxEntries })).toThrow(/expected maxEntries to be a whole number of at least 1/);
  });
});

describe('capability memory shared through Redis', () => {
  it('a second replica knows what the first learnt without trying', async () => {
    const prefix = uniquePrefix();
    const first = sharedCapabilities(redis, { prefix });
    const second = sharedCapabilities(redis, { prefix });
    await first.remember('clinicea', 'leads/{id}', 'unsupported');
    expect(await second.support('clinicea', 'leads/{id}')).toBe('unsupported');
    expect(await redis.get(`${prefix}capability:clinicea:leads/{id}`)).toBe('unsupported');
    // Deployments with other prefixes share nothing.
    expect(await sharedCapabilities(redis, { prefix: uniquePrefix() }).support('clinicea', 'leads/{id}')).toBeUndefined();
  });

  it('keeps a verdict in Redis for a day by default, so replicas started later try again', async () => {
    const prefix = uniquePrefix();
    await new RedisCapabilityStore(redis, { prefix }).write('generic:users?ids', 'supported');
    const ttl = await redis.pttl(`${prefix}generic:users?ids`);
    expect(ttl).toBeGreaterThan(86_000_000);
    expect(ttl).toBeLessThanOrEqual(86_400_000);
  });

  it('with Redis away, remembers for its own process and never throws', async () => {
    const away = failFastClient(await freePort());
    try {
      const memory = sharedCapabilities(away, { prefix: uniquePrefix() });
      expect(await memory.support('generic', 'users?ids')).toBeUndefined();
      await memory.remember('generic', 'users?ids', 'unsupported');
      expect(await memory.support('generic', 'users?ids')).toBe('unsupported');
    } finally {
      away.disconnect();
    }
  });
});

describe('refusedExtension', () => {
  it.each([
    [400, true],
    [404, true],
    [401, false],
    [429, false],
    [500, false],
  ])('a %s answer is a refusal of the extension: %s', (status, refused) => {
    expect(refusedExtension(new UpstreamError('generic', problemForStatus(status), 'x', status))).toBe(refused);
  });

  it('a timeout or a plain Error says nothing about support', () => {
    expect(refusedExtension(new UpstreamError('generic', { kind: 'timeout', maybeDelivered: true }, 'x'))).toBe(false);
    expect(refusedExtension(new Error('boom'))).toBe(false);
  });
});
