/**
 * The pipeline's own accounting, with a stub fetch: what the per-request call budget counts, and which
 * failures the circuit breaker counts (only the vendor's: not the caller's deadline, not a spent budget).
 */
import { describe, expect, it } from 'vitest';
import type { VendorAdapter } from '../../src/upstream/adapter.ts';
import { CallBudget } from '../../src/upstream/budget.ts';
import { UpstreamCore, type CallContext, type UpstreamClient } from '../../src/upstream/client.ts';
import { isProblem, problemForStatus } from '../../src/upstream/errors.ts';
import type { FetchLike } from '../../src/upstream/transport.ts';

const adapter: VendorAdapter = {
  vendor: 'test',
  baseUrl: 'http://vendor.test/',
  budgetKey: 'test',
  rateSpec: { kind: 'window', limit: 1000, windowMs: 1000 },
  authorize: (request) => request,
  readRateSignal: () => ({}),
  classifyError: (response) => ({ problem: problemForStatus(response.status), message: `answered ${response.status}` }),
};

/** Answers each call with the next status in `statuses` (then 200), counting calls. */
function scripted(statuses: number[] = []): { fetch: FetchLike; calls: () => number } {
  let calls = 0;
  const fetch: FetchLike = () => {
    const status = statuses[calls] ?? 200;
    calls += 1;
    return Promise.resolve(new Response(JSON.stringify({ ok: status < 300 }), { status, headers: { 'content-type': 'application/json' } }));
  };
  return { fetch, calls: () => calls };
}

/** Never answers; rejects when the attempt's timeout aborts it, as a hung vendor would. */
const hung: FetchLike = (_url, init) =>
  new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(init.signal?.reason as Error)));

function client(fetch: FetchLike, timeoutMs = 10_000): UpstreamClient {
  return new UpstreamCore({
    fetch,
    timeoutMs,
    retry: { maxRetries: 3, initialDelayMs: 1, maxDelayMs: 5 },
    breaker: { consecutiveFailures: 3, halfOpenAfterMs: 60_000 },
  }).client(adapter);
}

const call = (budget?: CallBudget, deadlineMs = 5000): CallContext => ({
  priority: 'interactive',
  deadline: Date.now() + deadlineMs,
  client: 'key:a',
  ...(budget ? { budget } : {}),
});

describe('the per-request call budget', () => {
  it('spends one call per attempt sent, retries included', async () => {
    const vendor = scripted([500, 502]);
    const budget = new CallBudget(10);
    await client(vendor.fetch).request({ method: 'GET', path: 'things' }, call(budget));
    expect(vendor.calls()).toBe(3);
    expect(budget.spent).toBe(3);
  });

  it('spends nothing on an answer shared with an identical call in flight, or read from the cache', async () => {
    const vendor = scripted();
    const budget = new CallBudget(10);
    const upstream = client(vendor.fetch);
    const get = { method: 'GET', path: 'things', cacheTtlMs: 60_000 } as const;
    await Promise.all([upstream.request(get, call(budget)), upstream.request(get, call(budget))]);
    await upstream.request(get, call(budget));
    expect(vendor.calls()).toBe(1);
    expect(budget.spent).toBe(1);
  });

  it('past the limit, fails calls before sending: final, not retried, and the breaker stays closed', async () => {
    const vendor = scripted();
    const budget = new CallBudget(2);
    const upstream = client(vendor.fetch);
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => upstream.request({ method: 'GET', path: `things/${i}` }, call(budget))),
    );
    expect(vendor.calls()).toBe(2);
    const refusals = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    expect(refusals).toHaveLength(4);
    for (const refusal of refusals) {
      expect(isProblem(refusal, 'call_budget_spent') && refusal.problem.limit).toBe(2);
      expect(isProblem(refusal, 'call_budget_spent') && refusal.final).toBe(true);
    }
    expect((await upstream.status()).circuit).toBe('closed');
  });

  it('refuses a budget that is not a whole number of at least 1', () => {
    expect(() => new CallBudget(0)).toThrow('expected the call budget to be a whole number of at least 1, got 0');
  });
});

describe('the circuit breaker counts only the vendor failing', () => {
  it("a call cut short by the caller's own deadline is deadline_exceeded: sent once, and never opens the circuit", async () => {
    let calls = 0;
    const upstream = client((url, init) => {
      calls += 1;
      return hung(url, init);
    });
    for (let i = 0; i < 5; i += 1) {
      const error = await upstream.request({ method: 'GET', path: `slow/${i}` }, call(undefined, 30)).catch((e: unknown) => e);
      expect(isProblem(error, 'deadline_exceeded')).toBe(true);
    }
    expect(calls).toBe(5);
    expect((await upstream.status()).circuit).toBe('closed');
  });

  it("the vendor's own timeout (shorter than the deadline) is retried and counted, and opens the circuit", async () => {
    let calls = 0;
    const upstream = client((url, init) => {
      calls += 1;
      return hung(url, init);
    }, 20);
    const error = await upstream.request({ method: 'GET', path: 'slow' }, call(undefined, 5000)).catch((e: unknown) => e);
    // Three consecutive timeouts open the circuit before the retries run out.
    expect(isProblem(error, 'circuit_open')).toBe(true);
    expect(calls).toBe(3);
    expect((await upstream.status()).circuit).toBe('open');
  });

  it.each([400, 413, 414, 422, 431])('a %i is sent once and does not count, however often it comes', async (status) => {
    const vendor = scripted(Array.from({ length: 5 }, () => status));
    const upstream = client(vendor.fetch);
    for (let i = 0; i < 5; i += 1) {
      const error = await upstream.request({ method: 'GET', path: 'long' }, call()).catch((e: unknown) => e);
      expect(isProblem(error, 'bad_request')).toBe(true);
    }
    expect(vendor.calls()).toBe(5);
    expect((await upstream.status()).circuit).toBe('closed');
  });
});
