/**
 * Run by heap-growth.test.ts as its own process (`node --expose-gc`), so the heap it measures is the
 * gateway's alone: CareHQ's simulator, whose store grows with every write, lives in the parent.
 *
 * Starts a gateway as main.ts does (cache on), reads CareHQ from CAREHQ_* in the environment, runs ROUNDS rounds
 * of a write plus list reads (one with a distinct search each time), and prints the heap before and after as JSON.
 */
import { pino } from 'pino';
import { loadConfig } from '../../src/config.ts';
import { startGateway } from '../../src/server/gateway.ts';
import { simulatedVendors, vendorOptions } from '../../src/server/vendor-options.ts';
import { startDemoSimulators } from '../../src/simulators/demo.ts';
import { ResponseCache } from '../../src/upstream/cache.ts';

const ROUNDS = Number(process.env.SOAK_ROUNDS ?? '2000');
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

const config = loadConfig();
const sims = await startDemoSimulators(simulatedVendors(config));
const gateway = await startGateway({
  port: 0,
  host: '127.0.0.1',
  logger: pino({ level: 'silent' }),
  requestTimeoutMs: 15_000,
  core: { cache: new ResponseCache({ maxBytes: config.cacheMaxBytes }) },
  metrics: true,
  // One client sends every round, far faster than the per-client limit allows.
  clientRequestsPerMinute: 10_000_000,
  ...vendorOptions(config, sims),
});

async function post(query: string, variables: Record<string, unknown>): Promise<void> {
  const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { errors?: unknown };
  if (body.errors) throw new Error(`round failed: ${JSON.stringify(body.errors)}`);
}

const WRITE = 'mutation($i: String!) { createEnquiry(input: { firstName: $i, lastName: "Soak", fundingType: PRIVATE }) { enquiry { id } } }';
// A distinct search each round (keys from client input), and the first page of the whole list, which every
// write makes stale.
const READ = 'query($s: String!) { found: enquiries(first: 20, filter: { search: $s }) { nodes { id firstName } } page: enquiries(first: 50) { nodes { id firstName lastName email } } }';

async function rounds(from: number, to: number): Promise<void> {
  for (let i = from; i < to; i += 1) {
    await post(WRITE, { i: `soak${i}` });
    await post(READ, { s: `soak${i}` });
  }
}

function heapMiB(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed / (1024 * 1024);
}

await rounds(0, 50); // warm: JIT, pools, first-use allocations
const before = heapMiB();
await rounds(50, 50 + ROUNDS);
const after = heapMiB();
process.stdout.write(`${JSON.stringify({ rounds: ROUNDS, beforeMiB: before, afterMiB: after })}\n`);
await gateway.close();
await sims.close();
process.exit(0);
