/**
 * `npm run bench`: the gateway measured as production runs it, against its peers, in one run. Not a test and
 * not a gate: it prints each figure with its target and whether it was met, writes bench/results/latest.md
 * and latest.json, and exits 0 unless something crashed.
 *
 * Every part runs in a process of its own, on loopback: the compiled gateway (`node dist/main.js`,
 * NODE_ENV=production, one bench API key), the simulators (./simulators.ts), the Apollo floor and the bare
 * server (./peers.ts); autocannon drives the load from this process. Each figure is the median of 3 runs.
 *
 * Flags: `--skip-build` uses dist/ as it is; `--quick` makes one short run of each, to try the bench out (its
 * results say so and are no figures to quote). REDIS_URL (default redis://127.0.0.1:6379) is where figure 5's
 * replicas share budgets; without a Redis there, figure 5 is reported as not measured.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { drainFigure, redisReachable, replicasFigure, DRAIN_RECORDS } from './drain.ts';
import { benchKey, startGatewayProcess, type GatewayProcess } from './gateway.ts';
import { memoryFigures, WALK_RECORDS } from './memory.ts';
import { line, machine, met, writeResults, type Figure } from './report.ts';
import { startSimulators, type BenchVendor } from './sim-set.ts';
import { throughputFigures } from './throughput.ts';
import { upstreamCallFigures } from './upstream-calls.ts';
import type { SimKnobs } from '../src/simulators/knobs.ts';

const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const RUNS = quick ? 1 : 3;
const SECONDS = quick ? 2 : 4;
const CONNECTIONS = 10;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Out of the gateway's way, for the figures that measure the gateway rather than a vendor's limit. */
const UNLIMITED = 1_000_000;
const openKnobs = (carehqRecords?: number): Partial<Record<BenchVendor, SimKnobs>> => ({
  carehq: { rate: UNLIMITED, records: carehqRecords },
  clinicea: { rate: UNLIMITED },
  caseware: { rate: UNLIMITED },
  carecloud: { rate: UNLIMITED },
  generic: { rate: UNLIMITED },
});
/** The gateway's own pacing, raised to match (each at its configuration maximum). */
const OPEN_GATEWAY_ENV = {
  CAREHQ_REQUESTS_PER_SECOND: '10000',
  CLINICEA_REQUESTS_PER_SECOND: '10000',
  CARECLOUD_RATE_PER_SECOND: '100000',
  CARECLOUD_BURST: '100000',
};

const began = Date.now();
/** Each line with the seconds since the start, so a slow phase shows. */
const machineCpus = () => machine().cpus;
const log = (text: string) => console.log(text.startsWith('\n') ? `\n${stamp()} ${text.slice(1)}` : `${stamp()} ${text}`);
const stamp = () => `[${String(Math.round((Date.now() - began) / 1000)).padStart(3)} s]`;
/** `--only 1,6`: just those figures (a trial; the results then hold only them). */
const only = new Set((process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length) ?? '1,2,3,4,5,6').split(','));

function build(): void {
  log('building: tsc -p tsconfig.build.json');
  const result = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`the build failed (exit ${result.status})`);
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const startLoad = loadavg()[0] ?? 0;
  if (!args.has('--skip-build')) build();
  const key = benchKey();
  const figures: Figure[] = [];
  const settings: string[] = [
    'Gateway: `node dist/main.js` (the compiled build) in its own process, NODE_ENV=production, client authentication on (one API key in API_KEYS_FILE, sent as a bearer token; PUBLIC_URL set), LOG_LEVEL=warn, CLIENT_REQUESTS_PER_MINUTE=10000000, every vendor LIVE against the simulators.',
    'Simulators: bench/simulators.ts in another process, all five started as `npm run simulate` starts them; documented limits unless a figure says otherwise.',
    'Peers, each in its own process with NODE_ENV=production: the Apollo floor (Apollo Server 5, this project\'s SDL, resolvers returning the gateway\'s recorded answer) and bare (node:http returning the recorded bytes).',
    `Load: autocannon ${CONNECTIONS} connections (1 for latency), ${SECONDS} s after a 1 s warm-up (4 s before the first run of 1a and 1b), from the runner process; loopback only. Figures 1a and 1b measure the gateway and its peers in turns, and figure 2 the GraphQL request and its REST call, 4 slices of ${SECONDS / 4} s each, so that a drift of the machine slows them alike.`,
    `Runs per figure: ${RUNS}${quick ? ' (--quick: a trial, not figures to quote)' : ''}.`,
  ];

  // 1 and 2: the gateway's own cost, so the vendors' limits are out of the way.
  if (only.has('1') || only.has('2')) {
  log(`\n[1, 2] throughput and added latency (simulators and gateway pacing raised to ${UNLIMITED.toLocaleString('en')}/s and the gateway's maxima)`);
  // CareHQ's default 253 enquiries: a search over them costs the simulator little, so cache-off figures
  // measure the gateway more than the simulator (1b's notes give the simulator's own rate).
  const open = await startSimulators('simulators (open)', openKnobs());
  try {
    settings.push(`Figures 1, 2: limits raised (${open.sims.carehq.load}); gateway ${Object.entries(OPEN_GATEWAY_ENV).map(([k, v]) => `${k}=${v}`).join(', ')}.`);
    figures.push(...(await throughputFigures({ key, sims: open.sims, gatewayEnv: OPEN_GATEWAY_ENV, runs: RUNS, seconds: SECONDS, connections: CONNECTIONS, log })));
  } finally {
    await open.child.stop();
  }
  }

  // 3 and 4: the vendors at their documented limits, cache off.
  if (only.has('3') || only.has('4')) {
  log('\n[3, 4] vendor calls per query and the drain (documented limits, cache off)');
  const real = await startSimulators('simulators (documented limits)', { carehq: { records: DRAIN_RECORDS } });
  let gateway: GatewayProcess | undefined;
  try {
    settings.push(`Figures 3, 4: documented limits (${real.sims.carehq.load}; ${real.sims.clinicea.load}; caseware ${real.sims.caseware.load}; carecloud ${real.sims.carecloud.load}; generic ${real.sims.generic.load}); CACHE_TTL_MS=0.`);
    gateway = await startGatewayProcess('gateway (cache off)', real.sims, key, { CACHE_TTL_MS: '0' });
    figures.push(...(await upstreamCallFigures(gateway, real.sims, key.headers, RUNS, log)));
    figures.push(...(await drainFigure(gateway, real.sims, key.headers, RUNS, log)));
  } finally {
    await gateway?.child.stop();
    await real.child.stop();
  }
  }

  // 5: three replicas, one Redis. CareHQ credentials of its own, so no other gateway on this Redis shares the budget.
  if (only.has('5')) {
  log(`\n[5] three replicas sharing Redis at ${REDIS_URL}`);
  if (await redisReachable(REDIS_URL)) {
    const id = randomBytes(6).toString('hex');
    const creds = { CAREHQ_ACCOUNT_ID: `bench-${id}`, CAREHQ_API_KEY: `bench-key-${id}`, CAREHQ_API_SECRET: `bench-secret-${id}` };
    const shared = await startSimulators('simulators (replicas)', { carehq: { records: DRAIN_RECORDS } }, creds);
    const replicas: GatewayProcess[] = [];
    try {
      for (let i = 1; i <= 3; i += 1) replicas.push(await startGatewayProcess(`replica ${i}`, shared.sims, key, { CACHE_TTL_MS: '0', REDIS_URL }));
      settings.push(`Figure 5: three gateways with REDIS_URL, CACHE_TTL_MS=0; ${shared.sims.carehq.load}.`);
      figures.push(...(await replicasFigure(replicas, shared.sims, key.headers, RUNS, log)));
    } finally {
      await Promise.all(replicas.map((replica) => replica.child.stop()));
      await shared.child.stop();
    }
  } else {
    log(`  no Redis at ${REDIS_URL}: figure 5 not measured`);
    for (const [id, name] of [['5a', 'three replicas sharing Redis drain together: rate ÷ limit'], ['5b', 'three replicas: 429s from CareHQ']] as const) {
      figures.push({ id, name, value: Number.NaN, unit: '', target: { kind: 'none' }, runs: [], notes: `not measured: no Redis at ${REDIS_URL}` });
    }
  }
  }

  // 6: memory.
  if (only.has('6')) {
  log(`\n[6] memory (CareHQ with ${WALK_RECORDS.toLocaleString('en')} enquiries, limits raised)`);
  const [big, small] = await Promise.all([startSimulators('simulators (walk)', openKnobs(WALK_RECORDS)), startSimulators('simulators (rounds)', openKnobs())]);
  try {
    settings.push(`Figure 6: limits raised as for 1 and 2; walk: ${big.sims.carehq.load}; rounds: ${small.sims.carehq.load}; default cache settings.`);
    figures.push(...(await memoryFigures(big.sims, small.sims, key, OPEN_GATEWAY_ENV, RUNS, log)));
  } finally {
    await Promise.all([big.child.stop(), small.child.stop()]);
  }
  }

  // Other work on the machine moves every figure; the load average says how much there was.
  settings.push(`Load average (1 min) at the start ${startLoad.toFixed(1)}, at the end ${(loadavg()[0] ?? 0).toFixed(1)}, on ${machineCpus()} CPUs.`);
  const seconds = (Date.now() - startedAt.getTime()) / 1000;
  log('\nfigures (median of runs):');
  for (const figure of figures) log(line(figure));
  const missed = figures.filter((f) => met(f) === false);
  const hit = figures.filter((f) => met(f) === true);
  log(`\ntargets met: ${hit.length} of ${hit.length + missed.length}${missed.length ? `; missed: ${missed.map((f) => f.id).join(', ')}` : ''}`);
  writeResults(new URL('./results/', import.meta.url), figures, { startedAt, seconds, settings });
  log(`written: bench/results/latest.md and latest.json (${Math.round(seconds)} s)`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
