/**
 * Figure 6: the gateway process's memory, simulators elsewhere. Peak RSS while walking 10,000 enquiries, then
 * heap growth (after full collections) over 2,000 rounds of a write and reads, as test/soak/ measures it but
 * against the compiled build. A fresh gateway each run (peak RSS is a high-water mark), with the default cache
 * settings; CareHQ's limit is raised (said in the notes) so that 2,000 writes take seconds, not minutes.
 */
import { data, walk } from './client.ts';
import { startGatewayProcess, type BenchKey } from './gateway.ts';
import { peakRssMB } from './processes.ts';
import { median, type Figure } from './report.ts';
import type { SimulatorSet } from './sim-set.ts';

export const WALK_RECORDS = 10_000;
const ROUNDS = 2000;
const WARM_ROUNDS = 50;
const ROUND_CLIENTS = 8;

const WRITE = 'mutation($i: String!) { createEnquiry(input: { firstName: $i, lastName: "Bench", fundingType: PRIVATE }) { enquiry { id } } }';
const READ =
  'query($s: String!) { found: enquiries(first: 20, filter: { search: $s }) { nodes { id firstName } } page: enquiries(first: 50) { nodes { id firstName lastName email } } }';

export async function memoryFigures(
  /** CareHQ with WALK_RECORDS enquiries. */
  walkSims: SimulatorSet,
  /** CareHQ with its default data set, so that each round's search costs the simulator little. */
  roundSims: SimulatorSet,
  key: BenchKey,
  gatewayEnv: Readonly<Record<string, string>>,
  runs: number,
  log: (line: string) => void,
): Promise<Figure[]> {
  const seen: Array<{ rssMB: number; growthMiB: number; records: number }> = [];
  for (let run = 0; run < runs; run += 1) {
    // Separate gateways: the peak is the walk's alone, and the rounds run against a small data set.
    const walker = await startGatewayProcess(`gateway (walk ${run + 1})`, walkSims, key, gatewayEnv);
    let rssMB = Number.NaN;
    let records = 0;
    try {
      records = (await walk(walker.url, key.headers, 'enquiries', 100)).records;
      rssMB = peakRssMB(walker.child.pid) ?? Number.NaN;
    } finally {
      await walker.child.stop();
    }
    const gateway = await startGatewayProcess(`gateway (rounds ${run + 1})`, roundSims, key, gatewayEnv);
    try {
      const round = async (i: number) => {
        await data(gateway.url, key.headers, WRITE, { i: `bench${run}x${i}` });
        await data(gateway.url, key.headers, READ, { s: `bench${run}x${i}` });
      };
      for (let i = 0; i < WARM_ROUNDS; i += 1) await round(i);
      const before = await gateway.heapMiB();
      const started = Date.now();
      let next = WARM_ROUNDS;
      // Several clients at once, so that the rounds take seconds on a busy machine; each round is still a write
      // and then its reads.
      await Promise.all(
        Array.from({ length: ROUND_CLIENTS }, async () => {
          while (next < WARM_ROUNDS + ROUNDS) await round(next++);
        }),
      );
      const after = await gateway.heapMiB();
      seen.push({ rssMB, growthMiB: after - before, records });
      log(`  6  run ${run + 1}: walked ${records} records, peak RSS ${rssMB.toFixed(1)} MB; heap ${before.toFixed(1)} → ${after.toFixed(1)} MiB over ${ROUNDS} rounds in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } finally {
      await gateway.child.stop();
    }
  }
  return [
    {
      id: '6a',
      name: `peak RSS of the gateway while walking ${WALK_RECORDS.toLocaleString('en')} records`,
      value: median(seen.map((s) => s.rssMB)),
      unit: 'MB',
      target: { kind: 'below', value: 150 },
      runs: seen.map((s) => s.rssMB),
      notes: `VmHWM of the gateway process (start-up included); enquiries(first: 100) page by page; default cache (CACHE_TTL_MS 5000)`,
    },
    {
      id: '6b',
      name: `heap growth after ${ROUNDS.toLocaleString('en')} write-and-read rounds`,
      value: median(seen.map((s) => s.growthMiB)),
      unit: 'MiB',
      target: { kind: 'below', value: 40 },
      runs: seen.map((s) => s.growthMiB),
      notes: `after ${WARM_ROUNDS} warm rounds; each round a createEnquiry, then a distinct search and the first 50, ${ROUND_CLIENTS} clients at once; heap after two full GCs`,
    },
  ];
}
