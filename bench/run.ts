/**
 * `npm run bench`: speed and memory of the gateway against the simulators, on loopback, with the demo's
 * settings (cache on). Prints one line per scenario and whether it met its target; exits 1 if any missed.
 * Targets are for this project's 2-core machine; bounded in count and time, loopback only.
 */
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { loadConfig } from '../src/config.ts';
import { startGateway } from '../src/server/gateway.ts';
import { simulatedVendors, vendorOptions } from '../src/server/vendor-options.ts';
import { startDemoSimulators } from '../src/simulators/demo.ts';

interface Scenario {
  readonly name: string;
  readonly query: string;
  readonly requests: number;
  readonly concurrency: number;
  /** p95 latency target, ms. */
  readonly p95TargetMs: number;
}

const SCENARIOS: Scenario[] = [
  { name: 'enquiries page of 20 with assignees', query: '{ enquiries(first: 20) { totalCount nodes { id firstName assignee { name } } } }', requests: 400, concurrency: 1, p95TargetMs: 25 },
  { name: 'same, 20 clients at once', query: '{ enquiries(first: 20) { nodes { id assignee { name } } } }', requests: 1000, concurrency: 20, p95TargetMs: 150 },
  { name: 'merged users page of 50', query: '{ users(first: 50) { totalCount nodes { id name vendor } } }', requests: 200, concurrency: 4, p95TargetMs: 100 },
  { name: 'leads page of 100 with owners', query: '{ leads(first: 100) { nodes { id owner { name } } } }', requests: 200, concurrency: 4, p95TargetMs: 150 },
  { name: 'vendor status', query: '{ vendorStatus { vendor reachable rateBudget { remaining } } }', requests: 1000, concurrency: 10, p95TargetMs: 30 },
];

/** Heap growth allowed over all scenarios once warmed up, MiB: a leak shows as steady growth. */
const HEAP_GROWTH_TARGET_MIB = 64;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function post(url: string, query: string): Promise<void> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  const body = (await response.json()) as { errors?: unknown[] };
  if (body.errors?.length) throw new Error(`query failed: ${JSON.stringify(body.errors[0])}`);
}

async function run(url: string, scenario: Scenario): Promise<{ p50: number; p95: number; p99: number; rps: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: scenario.concurrency }, async () => {
      while (next < scenario.requests) {
        next += 1;
        const t = performance.now();
        await post(url, scenario.query);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99), rps: scenario.requests / seconds };
}

async function main(): Promise<void> {
  const config = loadConfig({ CACHE_TTL_MS: '30000' });
  const sims = await startDemoSimulators(simulatedVendors(config), {
    // The benchmark measures the gateway, not the vendors' limits.
    carehq: { perSecond: 10_000 },
    clinicea: { perSecond: 10_000 },
    generic: { limits: { limit: 100_000, windowSeconds: 10 } },
    caseware: { limits: { burstCapacity: 10_000, replenishRate: 10_000 } },
  });
  const options = vendorOptions(config, sims);
  const gateway = await startGateway({
    port: 0,
    host: '127.0.0.1',
    logger: pino({ level: 'silent' }),
    requestTimeoutMs: 15_000,
    // Every scenario runs as the one anonymous client, far past a real client's per-minute limit.
    clientRequestsPerMinute: 10_000_000,
    ...options,
    carehq: { ...options.carehq, requestsPerSecond: 10_000 },
    clinicea: { ...options.clinicea, requestsPerSecond: 10_000 },
  });
  let failed = false;
  try {
    for (const scenario of SCENARIOS) await post(gateway.url, scenario.query); // warm caches and JIT
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    console.log('scenario'.padEnd(40), 'p50 ms'.padStart(8), 'p95 ms'.padStart(8), 'p99 ms'.padStart(8), 'req/s'.padStart(8), '  target');
    for (const scenario of SCENARIOS) {
      const r = await run(gateway.url, scenario);
      const ok = r.p95 <= scenario.p95TargetMs;
      failed ||= !ok;
      console.log(
        scenario.name.padEnd(40),
        r.p50.toFixed(1).padStart(8),
        r.p95.toFixed(1).padStart(8),
        r.p99.toFixed(1).padStart(8),
        r.rps.toFixed(0).padStart(8),
        `  p95 <= ${scenario.p95TargetMs} ms: ${ok ? 'met' : 'MISSED'}`,
      );
    }
    global.gc?.();
    const growth = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
    const rss = process.memoryUsage().rss / 1024 / 1024;
    const ok = growth <= HEAP_GROWTH_TARGET_MIB;
    failed ||= !ok;
    console.log(`heap growth ${growth.toFixed(1)} MiB (target <= ${HEAP_GROWTH_TARGET_MIB}: ${ok ? 'met' : 'MISSED'}), rss ${rss.toFixed(0)} MiB`);
  } finally {
    await gateway.close();
    await sims.close();
  }
  process.exit(failed ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
