import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CLINICEA_DEMO_USER,
  startCliniceaSimulator,
  type CliniceaSimulator,
  type CliniceaSimulatorOptions,
} from '../../src/simulators/clinicea/server.ts';
import { UpstreamCore, type CallContext, type CallEvent, type UpstreamCoreOptions } from '../../src/upstream/client.ts';
import { UpstreamError, isProblem } from '../../src/upstream/errors.ts';
import { RedisTokenStore } from '../../src/upstream/redis-token-store.ts';
import { CliniceaSource, type CliniceaOptions } from '../../src/vendors/clinicea/index.ts';
import { CLINICEA_TOKEN_PATH } from '../../src/vendors/clinicea/wire.ts';
import { expectNoSecrets } from '../helpers/secrets.ts';

const MINUTE_MS = 60_000;
const TOKEN = { kind: 'token', username: CLINICEA_DEMO_USER.username, password: CLINICEA_DEMO_USER.password } as const;

const started: CliniceaSimulator[] = [];
afterAll(async () => {
  await Promise.all(started.map((sim) => sim.close()));
});

/** A clock both sides share, so a test can move an hour ahead without waiting for it. */
function steppedClock() {
  const state = { offsetMs: 0 };
  return { state, now: () => Date.now() + state.offsetMs };
}

async function simulator(options: CliniceaSimulatorOptions = {}): Promise<CliniceaSimulator> {
  const sim = await startCliniceaSimulator({ perSecond: 10_000, authMode: 'token', ...options });
  started.push(sim);
  return sim;
}

function sourceFor(
  sim: CliniceaSimulator,
  options: Partial<CliniceaOptions> = {},
  core: UpstreamCoreOptions = {},
): CliniceaSource {
  return CliniceaSource.create(new UpstreamCore(core), {
    baseUrl: sim.baseUrl,
    credentials: sim.credentials,
    requestsPerSecond: 1000,
    cacheTtlMs: 0,
    auth: TOKEN,
    ...options,
  });
}

function call(now: () => number = Date.now): CallContext {
  return { priority: 'interactive', deadline: now() + 15_000 };
}

function logins(sim: CliniceaSimulator) {
  return sim.log.filter((entry) => entry.path === CLINICEA_TOKEN_PATH);
}

function apiCalls(sim: CliniceaSimulator) {
  return sim.log.filter((entry) => entry.path !== CLINICEA_TOKEN_PATH);
}

/** Every token the simulator saw on an API call. */
function tokensSent(sim: CliniceaSimulator): string[] {
  return apiCalls(sim).map((entry) => new URLSearchParams(entry.query).get('api_key') ?? '');
}

function leadIds(sim: CliniceaSimulator, count: number): string[] {
  return [...sim.store.leads.keys()].slice(0, count);
}

describe('token login', () => {
  it('logs in once and sends the token as api_key, without the api header, on every later call', async () => {
    const sim = await simulator();
    const source = sourceFor(sim);
    const [id] = leadIds(sim, 1);
    expect((await source.leads({}, call()).page(0)).items).toHaveLength(100);
    expect((await source.leads({}, call()).page(1)).items).toHaveLength(100);
    expect(await source.lead(id ?? '', call())).toMatchObject({ vendorId: id });

    expect(sim.tokenStats).toEqual({ requests: 1, issued: 1, refused: 0, rejected: 0 });
    expect(logins(sim)).toHaveLength(1);
    const [login] = logins(sim);
    expect(Object.fromEntries(new URLSearchParams(login?.query))).toEqual({
      apiKey: sim.credentials.apiKey,
      loginUserName: CLINICEA_DEMO_USER.username,
      pwd: CLINICEA_DEMO_USER.password,
    });
    expect(apiCalls(sim).map((entry) => [entry.status, entry.headers.api])).toEqual([
      [200, undefined],
      [200, undefined],
      [200, undefined],
    ]);
    const tokens = tokensSent(sim);
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).toMatch(/^[0-9a-f]{48}$/);
  });

  it('makes one login for 20 concurrent first calls', async () => {
    const sim = await simulator();
    const source = sourceFor(sim);
    const ids = leadIds(sim, 20);
    const leads = await Promise.all(ids.map((id) => source.lead(id, call())));
    expect(leads.map((lead) => lead?.vendorId)).toEqual(ids);
    expect(sim.tokenStats.requests).toBe(1);
    expect(apiCalls(sim)).toHaveLength(20);
    expect(new Set(tokensSent(sim)).size).toBe(1);
  });

  it('logs in again once, 5 minutes before the hour is up, with no call refused', async () => {
    const clock = steppedClock();
    const sim = await simulator({ clock: clock.now });
    const source = sourceFor(sim, {}, { clock: clock });
    const ids = leadIds(sim, 12);
    await source.lead(ids[0] ?? '', call(clock.now));

    clock.state.offsetMs += 54 * MINUTE_MS;
    await source.lead(ids[1] ?? '', call(clock.now));
    expect(sim.tokenStats.requests).toBe(1);

    clock.state.offsetMs += 2 * MINUTE_MS;
    await Promise.all(ids.slice(2).map((id) => source.lead(id, call(clock.now))));
    expect(sim.tokenStats).toEqual({ requests: 2, issued: 2, refused: 0, rejected: 0 });
    expect(apiCalls(sim).map((entry) => entry.status)).toEqual(Array.from({ length: 12 }, () => 200));
    expect(source.upstream.stats.failures).toBe(0);
    const tokens = tokensSent(sim);
    expect(new Set(tokens.slice(0, 2)).size).toBe(1);
    expect(new Set(tokens.slice(2)).size).toBe(1);
    expect(tokens[2]).not.toBe(tokens[0]);
  });

  it('after a 401 on a revoked token logs in once and retries each refused call once', async () => {
    const sim = await simulator();
    const source = sourceFor(sim);
    const ids = leadIds(sim, 11);
    await source.lead(ids[0] ?? '', call());
    sim.revokeTokens();

    const leads = await Promise.all(ids.slice(1).map((id) => source.lead(id, call())));
    expect(leads.every((lead) => lead !== null)).toBe(true);
    expect(sim.tokenStats.requests).toBe(2);
    // Calls authorized after the new token arrived never see a 401; each that did is sent once more.
    const { rejected } = sim.tokenStats;
    expect(rejected).toBeGreaterThanOrEqual(1);
    const statuses = apiCalls(sim).map((entry) => entry.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(rejected);
    expect(statuses.filter((status) => status === 200)).toHaveLength(11);
    expect(source.upstream.stats.calls).toBe(11 + rejected);
  });

  it('gives up after one refresh when the new token is refused too, never looping', async () => {
    const sim = await simulator({ tokenTtlMs: 0 });
    const events: CallEvent[] = [];
    const source = sourceFor(sim, {}, { onCall: (event) => events.push(event) });
    const failure = await source.leads({}, call()).page(0).catch((error: unknown) => error);

    expect(isProblem(failure, 'unauthorized')).toBe(true);
    expect(failure).toMatchObject({ vendor: 'clinicea', status: 401, message: 'Authorization has been denied for this request.' });
    expect(sim.tokenStats).toEqual({ requests: 2, issued: 2, refused: 0, rejected: 2 });
    expect(apiCalls(sim).map((entry) => entry.status)).toEqual([401, 401]);
    const tokens = tokensSent(sim);
    for (const token of tokens) {
      expect((failure as Error).message).not.toContain(token);
      expect(events.map((event) => event.operation).join(' ')).not.toContain(token);
    }
    expect(events.map((event) => event.operation)).toEqual(['listLeads', 'listLeads']);
  });

  it('fails a wrong password once as unauthorized, with no password, key or retry', async () => {
    const sim = await simulator();
    const password = 'wrong-password-9c2e';
    const source = sourceFor(sim, { auth: { ...TOKEN, password } });
    const failure = await source.leads({}, call()).page(0).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(UpstreamError);
    expect(isProblem(failure, 'unauthorized')).toBe(true);
    expect(failure).toMatchObject({ vendor: 'clinicea', status: 401 });
    const message = (failure as Error).message;
    expect(message).toContain('Clinicea refused the token login');
    expect(message).not.toContain(password);
    expect(message).not.toContain(sim.credentials.apiKey);
    expect(sim.tokenStats).toEqual({ requests: 1, issued: 0, refused: 1, rejected: 0 });
    expect(apiCalls(sim)).toHaveLength(0);
  });

  it('keeps a token the vendor echoes back out of the error message', async () => {
    const sim = await simulator();
    // A vendor that names the refused token in its 401, as some ASP.NET setups do.
    const echoing: UpstreamCoreOptions['fetch'] = async (input, init) => {
      const token = input.searchParams.get('api_key');
      if (token === null) return fetch(input, init);
      return new Response(JSON.stringify({ Message: `Token ${token} has expired.` }), {
        status: 401,
        headers: { 'content-type': 'application/json' },
      });
    };
    const source = sourceFor(sim, {}, { fetch: echoing });
    const failure = await source.leads({}, call()).page(0).catch((error: unknown) => error);
    expect(isProblem(failure, 'unauthorized')).toBe(true);
    expect((failure as Error).message).toBe('Token [redacted] has expired.');
    expect(sim.tokenStats.requests).toBe(2);
  });

  it('leaves the header mode as it was: the api header key and no login', async () => {
    const sim = await simulator({ authMode: 'header' });
    const source = sourceFor(sim, { auth: { kind: 'header' } });
    await source.leads({}, call()).page(0);
    expect(sim.log.map((entry) => [entry.path, entry.headers.api, entry.query.includes('api_key')])).toEqual([
      ['leads', sim.credentials.apiKey, false],
    ]);
  });
});

describe('token login shared through Redis', () => {
  const connections: Redis[] = [];
  afterAll(async () => {
    await Promise.all(connections.map((redis) => redis.quit()));
  });
  /** Two replicas: two cores, each with its own connection onto one key prefix. */
  function replicas(sim: CliniceaSimulator, prefix: string): [CliniceaSource, CliniceaSource] {
    const make = () => {
      const redis = new Redis({ host: '127.0.0.1', port: 6379, maxRetriesPerRequest: 1 });
      connections.push(redis);
      return sourceFor(sim, {}, { tokens: new RedisTokenStore(redis, { prefix }) });
    };
    return [make(), make()];
  }

  it('two replicas make one login for 20 concurrent first calls, and one more after the vendor revokes it', async () => {
    const sim = await simulator();
    const prefix = `test:token:${randomUUID()}:`;
    const sources = replicas(sim, prefix);
    const ids = leadIds(sim, 40);
    const first = await Promise.all(ids.slice(0, 20).map((id, i) => sources[i % 2]!.lead(id, call())));
    expect(first.every((lead) => lead !== null)).toBe(true);
    expect(sim.tokenStats.requests).toBe(1);
    expect(new Set(tokensSent(sim)).size).toBe(1);

    // Both replicas' calls are refused; only the first refusal may log in again, wherever it happens.
    sim.revokeTokens();
    const again = await Promise.all(ids.slice(20).map((id, i) => sources[i % 2]!.lead(id, call())));
    expect(again.every((lead) => lead !== null)).toBe(true);
    expect(sim.tokenStats.requests).toBe(2);

    const redis = connections.at(-1)!;
    const keys = await redis.keys(`${prefix}*`);
    expect(keys.length).toBeGreaterThan(0);
    const values = await Promise.all(keys.map(async (key) => String(await redis.get(key))));
    expectNoSecrets([...keys, ...values], [...new Set(tokensSent(sim))].concat(sim.credentials.apiKey, CLINICEA_DEMO_USER.password));
  });
});

describe('token options', () => {
  const valid: CliniceaOptions = { baseUrl: 'https://api.clinicea.com/api/v1/', credentials: { apiKey: 'k-secret-1' } };

  it.each<[string, CliniceaOptions['auth'], RegExp]>([
    ['an empty password', { kind: 'token', username: 'u', password: '' }, /expected auth.password to be a non-empty string for token login, got an empty string/],
    ['no user name', { kind: 'token', password: 'p-secret-2' } as unknown as CliniceaOptions['auth'], /expected auth.username to be a non-empty string for token login, got nothing/],
    ['an unknown kind', { kind: 'oauth' } as unknown as CliniceaOptions['auth'], /expected auth.kind to be 'header' or 'token', got "oauth"/],
  ])('refuses %s at construction, naming no secret', (_, auth, message) => {
    const build = () => CliniceaSource.create(new UpstreamCore({}), { ...valid, auth });
    expect(build).toThrow(message);
    expect(build).not.toThrow(/k-secret-1|p-secret-2/);
  });
});
