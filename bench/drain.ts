/**
 * Figures 4 and 5: draining CareHQ's 2,000 enquiries, 100 a page, at its documented 10 requests per second,
 * with the cache off. One gateway alone (time against the fewest seconds the pages allow), then three
 * replicas sharing their budget through Redis, each draining the whole list at once (the aggregate rate
 * against the limit).
 */
import { connect } from 'node:net';
import { clearSimLog, isDataCall, simLog, sleep, walk, type LogEntry } from './client.ts';
import type { GatewayProcess } from './gateway.ts';
import { median, type Figure } from './report.ts';
import type { SimulatorSet } from './sim-set.ts';

export const DRAIN_RECORDS = 2000;
const PAGE = 100;

const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : 'n/a');

interface Drained {
  readonly seconds: number;
  readonly pages: number;
  readonly records: number;
  readonly calls: number;
  readonly throttled: number;
  readonly log: readonly LogEntry[];
}

async function drain(gateways: readonly GatewayProcess[], sims: SimulatorSet, headers: Readonly<Record<string, string>>): Promise<Drained> {
  // Past the previous run's window, so that no run starts with a budget another spent.
  await sleep(1100);
  await clearSimLog(sims.carehq.baseUrl);
  const started = performance.now();
  const walks = await Promise.all(gateways.map((gateway) => walk(gateway.url, headers, 'enquiries', PAGE)));
  const seconds = (performance.now() - started) / 1000;
  const log = (await simLog(sims.carehq.baseUrl)).filter(isDataCall);
  return {
    seconds,
    pages: walks.reduce((n, w) => n + w.pages, 0),
    records: walks.reduce((n, w) => n + w.records, 0),
    calls: log.length,
    throttled: log.filter((entry) => entry.status === 429).length,
    log,
  };
}

export async function drainFigure(gateway: GatewayProcess, sims: SimulatorSet, headers: Readonly<Record<string, string>>, runs: number, log: (line: string) => void): Promise<Figure[]> {
  const seen: Drained[] = [];
  for (let run = 0; run < runs; run += 1) {
    const d = await drain([gateway], sims, headers);
    seen.push(d);
    log(`  4  run ${run + 1}: ${d.records} records, ${d.pages} pages, ${d.calls} calls, ${d.throttled} × 429 in ${fmt(d.seconds)} s`);
  }
  const ratios = seen.map((d) => d.seconds / (d.pages / 10));
  return [
    {
      id: '4a',
      name: `drain ${DRAIN_RECORDS} CareHQ records at 10/s: time ÷ (pages ÷ rate)`,
      value: median(ratios),
      unit: '×',
      target: { kind: 'at_most', value: 1.05 },
      runs: ratios,
      notes: `${median(seen.map((d) => d.pages))} pages, ${median(seen.map((d) => d.calls))} vendor calls, ${fmt(median(seen.map((d) => d.seconds)))} s; one client walking first: 100; cache off`,
    },
    {
      id: '4b',
      name: 'drain: 429s from CareHQ',
      value: median(seen.map((d) => d.throttled)),
      unit: '× 429',
      target: { kind: 'at_most', value: 0 },
      runs: seen.map((d) => d.throttled),
      notes: '',
    },
  ];
}

/**
 * Calls per one-second window (CareHQ's windows are whole seconds), over the windows the drain filled from
 * start to end: the first and last are partial and left out.
 */
export function fullWindowRate(entries: readonly LogEntry[]): { perWindow: number; windows: number } {
  const counts = new Map<number, number>();
  for (const entry of entries) counts.set(Math.floor(entry.at / 1000), (counts.get(Math.floor(entry.at / 1000)) ?? 0) + 1);
  const keys = [...counts.keys()].sort((a, b) => a - b);
  const first = keys[0];
  const last = keys.at(-1);
  if (first === undefined || last === undefined || last - first < 2) return { perWindow: Number.NaN, windows: 0 };
  let calls = 0;
  for (let window = first + 1; window < last; window += 1) calls += counts.get(window) ?? 0;
  return { perWindow: calls / (last - first - 1), windows: last - first - 1 };
}

export async function redisReachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || 6379) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export async function replicasFigure(gateways: readonly GatewayProcess[], sims: SimulatorSet, headers: Readonly<Record<string, string>>, runs: number, log: (line: string) => void): Promise<Figure[]> {
  const seen: Array<Drained & { perWindow: number; windows: number }> = [];
  for (let run = 0; run < runs; run += 1) {
    const d = await drain(gateways, sims, headers);
    const rate = fullWindowRate(d.log);
    seen.push({ ...d, ...rate });
    log(`  5  run ${run + 1}: ${d.records} records, ${d.calls} calls, ${d.throttled} × 429 in ${fmt(d.seconds)} s; ${fmt(rate.perWindow)} calls per full second over ${rate.windows}`);
  }
  const ratios = seen.map((d) => d.perWindow / 10);
  return [
    {
      id: '5a',
      name: `three replicas sharing Redis drain together: rate ÷ limit`,
      value: median(ratios),
      unit: '× limit',
      target: { kind: 'between', min: 0.95, max: 1 },
      runs: ratios,
      notes: `each replica drains all ${DRAIN_RECORDS}; calls per full one-second window (first and last, partial, left out) ÷ 10; ${median(seen.map((d) => d.calls))} calls in ${fmt(median(seen.map((d) => d.seconds)))} s`,
    },
    {
      id: '5b',
      name: 'three replicas: 429s from CareHQ',
      value: median(seen.map((d) => d.throttled)),
      unit: '× 429',
      target: { kind: 'at_most', value: 0 },
      runs: seen.map((d) => d.throttled),
      notes: '',
    },
  ];
}
