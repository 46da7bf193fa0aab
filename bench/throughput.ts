/**
 * Figures 1 and 2: requests per second against the peers, cache warm and cache off, and the latency a
 * GraphQL request adds over the REST call it makes. The simulators' limits are raised for these (said in the
 * figures' notes): at CareHQ's 10 per second they would measure the vendor's limit, not the gateway.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sign, stringToSign } from '../src/vendors/carehq/auth.ts';
import { clearSimLog, data, isDataCall, post, simLog } from './client.ts';
import { frontsFigure } from './fronts.ts';
import { startGatewayProcess, type BenchKey } from './gateway.ts';
import { interleaved, load, type LoadOptions, type LoadResult } from './load.ts';
import { PEER_READY } from './peer-ready.ts';
import { start } from './processes.ts';
import { ENQUIRIES_ONE_CALL, ENQUIRIES_SEARCH, ENQUIRIES_WITH_ASSIGNEES, SEARCH_TERMS } from './queries.ts';
import { median, type Figure } from './report.ts';
import type { SimulatorSet } from './sim-set.ts';

export interface ThroughputSettings {
  readonly key: BenchKey;
  /** Simulators with their limits raised out of the way. */
  readonly sims: SimulatorSet;
  /** The gateway's own limits, raised to match. */
  readonly gatewayEnv: Readonly<Record<string, string>>;
  readonly runs: number;
  readonly seconds: number;
  readonly connections: number;
  readonly log: (line: string) => void;
}

async function startPeer(kind: 'floor' | 'bare', answerFile: string): Promise<{ url: string; pid: number; stop: () => Promise<void> }> {
  const child = start(`${kind} peer`, ['--import', 'tsx', new URL('./peers.ts', import.meta.url).pathname, kind, answerFile], { NODE_ENV: 'production' });
  const [, url = ''] = await child.waitFor(PEER_READY);
  return { url, pid: child.pid, stop: () => child.stop() };
}

/**
 * The first run's warm-up, s: long enough for every server to reach its steady state (the gateway has more
 * code for the JIT to settle than the peers; with 1 s its first run came out 20–50% below the next two).
 * Later runs warm up for 1 s, as before.
 */
const FIRST_WARMUP_S = 4;

/** Slices each run of the gateway and its peers is cut into, taken in turns (load.ts, `interleaved`). */
const SLICES = 4;

async function measuredTogether(servers: readonly [LoadOptions, LoadOptions, LoadOptions]): Promise<[LoadResult, LoadResult, LoadResult]> {
  const [gateway, floor, bare] = await interleaved(servers, SLICES);
  if (!gateway || !floor || !bare) throw new Error('expected a result for each of the three servers');
  return [gateway, floor, bare];
}

function record(name: string, text: string): string {
  const file = join(tmpdir(), `vendor-graph-bench-${process.pid}-${name}.json`);
  writeFileSync(file, text);
  return file;
}

/** Fresh CareHQ signature headers (timestamp and nonce) for each call of GET `path` with `params`. */
function careHqSigner(sims: SimulatorSet, path: string, params: Array<[string, string]>): () => Record<string, string> {
  const creds = sims.carehq.credentials;
  return () => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = randomBytes(16).toString('base64url');
    return {
      'x-carehq-accountid': creds.accountId ?? '',
      'x-carehq-apikey': creds.apiKey ?? '',
      'x-carehq-timestamp': timestamp,
      'x-carehq-nonce': nonce,
      'x-carehq-signature-version': '2.0',
      'x-carehq-signature': sign(creds.apiSecret ?? '', stringToSign(timestamp, nonce, 'GET', path, params)),
    };
  };
}

const rps = (r: LoadResult) => r.requestsPerSecond;
const cpu = (r: LoadResult) => r.serverCpuUs ?? Number.NaN;
const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(n >= 100 ? 0 : 2) : 'n/a');

export async function throughputFigures(s: ThroughputSettings): Promise<Figure[]> {
  const { key, sims } = s;
  const json = { 'content-type': 'application/json', ...key.headers };
  const common = { headers: json, connections: s.connections, seconds: s.seconds, failureMarker: '"errors"' };
  const figures: Figure[] = [];

  // 1a: cache warm.
  const warm = await startGatewayProcess('gateway (cache warm)', sims, key, { ...s.gatewayEnv, CACHE_TTL_MS: '600000' });
  const warmAnswer = await post(warm.url, key.headers, ENQUIRIES_WITH_ASSIGNEES);
  await data(warm.url, key.headers, ENQUIRIES_WITH_ASSIGNEES);
  const warmFile = record('warm', warmAnswer.text);
  const [floorWarm, bareWarm] = await Promise.all([startPeer('floor', warmFile), startPeer('bare', warmFile)]);
  const floorBytes = (await post(floorWarm.url, key.headers, ENQUIRIES_WITH_ASSIGNEES)).text;
  const body = JSON.stringify({ query: ENQUIRIES_WITH_ASSIGNEES });
  const warmRuns: Array<{ gateway: LoadResult; floor: LoadResult; bare: LoadResult }> = [];
  for (let run = 0; run < s.runs; run += 1) {
    const warmupSeconds = run === 0 ? FIRST_WARMUP_S : 1;
    const [gateway, floor, bare] = await measuredTogether([
      { ...common, url: warm.url, body, serverPid: warm.child.pid, warmupSeconds },
      { ...common, url: floorWarm.url, body, serverPid: floorWarm.pid, warmupSeconds },
      { ...common, url: bareWarm.url, body, serverPid: bareWarm.pid, warmupSeconds },
    ]);
    warmRuns.push({ gateway, floor, bare });
    s.log(
      `  1a run ${run + 1}: gateway ${fmt(rps(gateway))} req/s, floor ${fmt(rps(floor))}, bare ${fmt(rps(bare))} (failures ${gateway.failures}/${floor.failures}/${bare.failures}); ` +
        `CPU per request: gateway ${fmt(cpu(gateway))} µs, floor ${fmt(cpu(floor))}, bare ${fmt(cpu(bare))}`,
    );
  }
  await Promise.all([warm.child.stop(), floorWarm.stop(), bareWarm.stop()]);
  figures.push({
    id: '1a',
    name: 'req/s, enquiries(first: 20) + assignees, cache warm, ÷ floor',
    value: median(warmRuns.map((r) => rps(r.gateway) / rps(r.floor))),
    unit: '× floor',
    target: { kind: 'at_least', value: 0.8 },
    runs: warmRuns.map((r) => rps(r.gateway) / rps(r.floor)),
    peers: { bare: median(warmRuns.map((r) => rps(r.gateway) / rps(r.bare))) },
    notes:
      `gateway ${fmt(median(warmRuns.map((r) => rps(r.gateway))))} req/s, floor ${fmt(median(warmRuns.map((r) => rps(r.floor))))}, ` +
      `bare ${fmt(median(warmRuns.map((r) => rps(r.bare))))}; ${s.connections} connections × ${s.seconds} s each, in ${SLICES} slices taken in turns with the peers; ` +
      `gateway failures ${warmRuns.reduce((n, r) => n + r.gateway.failures, 0)}; floor answers the same bytes: ${floorBytes === warmAnswer.text ? 'yes' : 'no'}`,
  });

  // 1d: what 1a's ratio comes from, in CPU rather than requests per second: each server is one Node process,
  // so its requests per second is about one core divided by its CPU per request.
  figures.push({
    id: '1d',
    name: 'CPU per request, cache warm: floor ÷ gateway',
    value: median(warmRuns.map((r) => cpu(r.floor) / cpu(r.gateway))),
    unit: '×',
    target: { kind: 'none' },
    runs: warmRuns.map((r) => cpu(r.floor) / cpu(r.gateway)),
    notes:
      `gateway ${fmt(median(warmRuns.map((r) => cpu(r.gateway))))} µs, floor ${fmt(median(warmRuns.map((r) => cpu(r.floor))))} µs, ` +
      `bare ${fmt(median(warmRuns.map((r) => cpu(r.bare))))} µs of CPU per request (user and system, each server's own process, from /proc); ` +
      '1a comes close to this; under load both move, this one less',
  });

  // 1c: the gateway's fastify front door against plain node:http serving the same gateway (issue 7's HTTP layer).
  figures.push(await frontsFigure(s));

  // 1b and 2: cache off.
  const off = await startGatewayProcess('gateway (cache off)', sims, key, { ...s.gatewayEnv, CACHE_TTL_MS: '0' });
  const searchAnswer = await post(off.url, key.headers, ENQUIRIES_SEARCH, { s: SEARCH_TERMS[0] });
  await data(off.url, key.headers, ENQUIRIES_SEARCH, { s: SEARCH_TERMS[0] });
  const searchFile = record('search', searchAnswer.text);
  const [floorOff, bareOff] = await Promise.all([startPeer('floor', searchFile), startPeer('bare', searchFile)]);
  // The simulator alone, sent the same distinct searches the gateway sends (each its own answer to build),
  // signed afresh each time, as fast as it can answer: the ceiling the gateway's two calls per request sit
  // under, so that a low 1b can be told from a slow simulator.
  await clearSimLog(sims.carehq.baseUrl);
  await data(off.url, key.headers, ENQUIRIES_SEARCH, { s: SEARCH_TERMS[0] });
  const listCall = (await simLog(sims.carehq.baseUrl)).find((entry) => entry.path === 'care-enquiries');
  if (!listCall) throw new Error('expected the search to call care-enquiries');
  const listUrl = `${sims.carehq.baseUrl}/${listCall.path}`;
  const listPath = new URL(listUrl).pathname;
  const listParams = [...new URLSearchParams(listCall.query)];
  let nextList = 0;
  const distinctList = () => {
    const term = SEARCH_TERMS[nextList++ % SEARCH_TERMS.length] ?? '';
    const params = listParams.map(([k, v]): [string, string] => [k, k === 'filters-q' ? term : v]);
    return { path: `${listPath}?${new URLSearchParams(params).toString()}`, headers: careHqSigner(sims, listCall.path, params)() };
  };
  let next = 0;
  const distinct = () => JSON.stringify({ query: ENQUIRIES_SEARCH, variables: { s: SEARCH_TERMS[next++ % SEARCH_TERMS.length] } });
  const offRuns: Array<{ gateway: LoadResult; floor: LoadResult; bare: LoadResult; simulator: LoadResult; callsPerRequest: number }> = [];
  for (let run = 0; run < s.runs; run += 1) {
    const warmupSeconds = run === 0 ? FIRST_WARMUP_S : 1;
    // The peers call no simulator, so the CareHQ log, cleared after the warm-ups, holds the gateway's calls alone.
    const [gateway, floor, bare] = await measuredTogether([
      { ...common, url: off.url, body: distinct, afterWarmup: () => clearSimLog(sims.carehq.baseUrl), serverPid: off.child.pid, warmupSeconds },
      { ...common, url: floorOff.url, body: distinct, serverPid: floorOff.pid, warmupSeconds },
      { ...common, url: bareOff.url, body: distinct, serverPid: bareOff.pid, warmupSeconds },
    ]);
    const calls = (await simLog(sims.carehq.baseUrl)).filter(isDataCall).length;
    const simulator = await load({ url: listUrl, method: 'GET', headers: { accept: 'application/json' }, pathPerRequest: distinctList, connections: s.connections, seconds: s.seconds });
    // The simulator's log keeps 10,000 entries; past that the count would be short, so say nothing.
    const callsPerRequest = calls < 10_000 ? calls / gateway.completed : Number.NaN;
    offRuns.push({ gateway, floor, bare, simulator, callsPerRequest });
    s.log(`  1b run ${run + 1}: gateway ${fmt(rps(gateway))} req/s (${fmt(callsPerRequest)} CareHQ calls each), floor ${fmt(rps(floor))}, bare ${fmt(rps(bare))}; simulator alone ${fmt(rps(simulator))} distinct list calls/s (failures ${simulator.failures})`);
  }
  await Promise.all([floorOff.stop(), bareOff.stop()]);
  figures.push({
    id: '1b',
    name: 'req/s, same with a distinct search each, cache off, ÷ floor',
    value: median(offRuns.map((r) => rps(r.gateway) / rps(r.floor))),
    unit: '× floor',
    target: { kind: 'at_least', value: 0.5 },
    runs: offRuns.map((r) => rps(r.gateway) / rps(r.floor)),
    peers: {
      bare: median(offRuns.map((r) => rps(r.gateway) / rps(r.bare))),
      // What the simulator itself allows at this many calls per request: how close the gateway comes to the
      // vendor's own ceiling on this machine, where the floor has no vendor to wait for at all.
      'simulator-bound': median(offRuns.map((r) => rps(r.gateway) / (rps(r.simulator) / (Number.isFinite(r.callsPerRequest) ? r.callsPerRequest : 2)))),
    },
    notes:
      `gateway ${fmt(median(offRuns.map((r) => rps(r.gateway))))} req/s, floor ${fmt(median(offRuns.map((r) => rps(r.floor))))}, ` +
      `bare ${fmt(median(offRuns.map((r) => rps(r.bare))))}; ${fmt(median(offRuns.map((r) => r.callsPerRequest)))} CareHQ calls per request ` +
      `(2 = nothing shared; up to ${s.connections} requests cut off at the end of each of the ${SLICES} slices made calls but are not counted as answered: up to ${fmt((100 * s.connections * SLICES) / median(offRuns.map((r) => r.gateway.completed)))}% more calls per request here); CareHQ simulator at ${sims.carehq.load} (not CareHQ's documented 10/s, which would hold the gateway to 5 req/s ` +
      `and measure the vendor, not the gateway); the simulator alone answers ${fmt(median(offRuns.map((r) => rps(r.simulator))))} of the same distinct list calls/s, ` +
      `on the same 2 cores as the gateway; CPU per request: gateway ${fmt(median(offRuns.map((r) => cpu(r.gateway))))} µs, floor ${fmt(median(offRuns.map((r) => cpu(r.floor))))} µs; ` +
      `gateway failures ${offRuns.reduce((n, r) => n + r.gateway.failures, 0)}`,
  });

  // 2: added latency, one connection, one REST call per request, against that call made directly.
  await clearSimLog(sims.carehq.baseUrl);
  await data(off.url, key.headers, ENQUIRIES_ONE_CALL);
  const made = (await simLog(sims.carehq.baseUrl)).filter(isDataCall);
  const rest = made[0];
  if (made.length !== 1 || !rest) throw new Error(`expected ${ENQUIRIES_ONE_CALL} to make one CareHQ call, got ${made.length}`);
  const signed = careHqSigner(sims, rest.path, [...new URLSearchParams(rest.query)]);
  const directUrl = `${sims.carehq.baseUrl}/${rest.path}?${rest.query}`;
  const oneCall = JSON.stringify({ query: ENQUIRIES_ONE_CALL });
  const latencyRuns: Array<{ gateway: LoadResult; direct: LoadResult }> = [];
  for (let run = 0; run < s.runs; run += 1) {
    // In turns, as 1a and 1b are: the difference of two small latencies is what drifts most otherwise.
    const [gateway, direct] = await interleaved(
      [
        { ...common, connections: 1, url: off.url, body: oneCall, serverPid: off.child.pid },
        { url: directUrl, method: 'GET', headers: { accept: 'application/json' }, headersPerRequest: signed, connections: 1, seconds: s.seconds },
      ],
      SLICES,
    );
    if (!gateway || !direct) throw new Error('expected a result for the gateway and for the direct call');
    latencyRuns.push({ gateway, direct });
    s.log(`  2  run ${run + 1}: GraphQL p50 ${fmt(gateway.p50Ms)} ms p99 ${fmt(gateway.p99Ms)}; REST p50 ${fmt(direct.p50Ms)} p99 ${fmt(direct.p99Ms)} (REST failures ${direct.failures})`);
  }
  await off.child.stop();
  const addedP50 = latencyRuns.map((r) => r.gateway.p50Ms - r.direct.p50Ms);
  const addedP99 = latencyRuns.map((r) => r.gateway.p99Ms - r.direct.p99Ms);
  const restNote = `GET ${rest.path}?${rest.query} (a page of ${new URLSearchParams(rest.query).get('per_page') ?? '?'}, the one the gateway asked for)`;
  figures.push({
    id: '2a',
    name: 'added latency p50, GraphQL over the same REST call, cache off',
    value: median(addedP50),
    unit: 'ms',
    target: { kind: 'at_most', value: 1 },
    runs: addedP50,
    notes:
      `GraphQL p50 ${fmt(median(latencyRuns.map((r) => r.gateway.p50Ms)))} ms, REST p50 ${fmt(median(latencyRuns.map((r) => r.direct.p50Ms)))} ms; one connection; ${restNote}; ` +
      `the gateway's CPU per request ${fmt(median(latencyRuns.map((r) => cpu(r.gateway))))} µs (one request at a time, so all of it is on the path)`,
  });
  figures.push({
    id: '2b',
    name: 'added latency p99, same',
    value: median(addedP99),
    unit: 'ms',
    target: { kind: 'none' },
    runs: addedP99,
    notes: `GraphQL p99 ${fmt(median(latencyRuns.map((r) => r.gateway.p99Ms)))} ms, REST p99 ${fmt(median(latencyRuns.map((r) => r.direct.p99Ms)))} ms`,
  });
  return figures;
}
