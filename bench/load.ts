/**
 * autocannon, as every figure that needs load drives it: a fixed number of connections for a fixed time,
 * after a short untimed warm-up, with per-response latencies kept at sub-millisecond precision (autocannon's
 * own histogram rounds to whole milliseconds, too coarse for a 1 ms target).
 */
import autocannon from 'autocannon';
import { cpuMs } from './processes.ts';

export interface LoadOptions {
  readonly url: string;
  readonly method?: 'GET' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  /** The same body every time, or one made per request (distinct requests). */
  readonly body?: string | (() => string);
  /** Headers made per request (a signature with a fresh nonce), merged over `headers`. */
  readonly headersPerRequest?: () => Record<string, string>;
  /** A path (with its query) and headers made per request, for distinct GETs; merged over `url` and `headers`. */
  readonly pathPerRequest?: () => { readonly path: string; readonly headers: Record<string, string> };
  readonly connections: number;
  readonly seconds: number;
  /** Untimed seconds first, for the JIT and pools. Default 1. */
  readonly warmupSeconds?: number;
  /** Runs between the warm-up and the timed run (to clear a simulator's log, say). */
  readonly afterWarmup?: () => Promise<void>;
  /** A 200 whose body contains this still counts as a failure (GraphQL reports errors with 200). */
  readonly failureMarker?: string;
  /** The server's process, whose CPU time per request over the timed run is then reported. */
  readonly serverPid?: number;
}

export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly completed: number;
  /** Non-2xx answers, connection errors, timeouts and 200s carrying `failureMarker`. */
  readonly failures: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /**
   * CPU the server's process used per completed request over the timed run, µs (user and system, all its
   * threads), when `serverPid` was given and /proc is there. Less moved than requests per second by what else
   * the machine runs (time spent waiting for a core is not in it), though a busy machine still raises it.
   */
  readonly serverCpuUs?: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** One timed stretch of load, before it is summed with others into a LoadResult. */
interface Sample {
  readonly completed: number;
  /** Answered, 2xx, and without the failure marker. */
  readonly good: number;
  readonly failures: number;
  readonly durationS: number;
  readonly latencies: readonly number[];
  /** The server's CPU over the stretch, ms, when its pid was given and /proc is there. */
  readonly serverCpuMs: number | undefined;
}

async function once(options: LoadOptions, seconds: number): Promise<Sample> {
  const pid = options.serverPid;
  const cpuBefore = pid === undefined ? undefined : cpuMs(pid);
  const latencies: number[] = [];
  let marked = 0;
  const perRequest = typeof options.body === 'function' || options.headersPerRequest !== undefined || options.pathPerRequest !== undefined;
  const makeBody = options.body;
  let finish: (result: autocannon.Result) => void = () => undefined;
  let fail: (error: unknown) => void = () => undefined;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const instance = autocannon({
    url: options.url,
    method: options.method ?? 'POST',
    headers: { ...options.headers },
    ...(typeof options.body === 'string' ? { body: options.body } : {}),
    connections: options.connections,
    duration: seconds,
    ...(perRequest
      ? {
          requests: [
            {
              setupRequest: (request) => ({
                ...request,
                ...(typeof makeBody === 'function' ? { body: makeBody() } : {}),
                ...(options.headersPerRequest ? { headers: { ...request.headers, ...options.headersPerRequest() } } : {}),
                ...(options.pathPerRequest ? perRequestPath(request.headers, options.pathPerRequest) : {}),
              }),
              ...(options.failureMarker ? { onResponse: (_status: number, body: string) => void (body.includes(options.failureMarker ?? '') && (marked += 1)) } : {}),
            },
          ],
        }
      : options.failureMarker
        ? { requests: [{ onResponse: (_status: number, body: string) => void (body.includes(options.failureMarker ?? '') && (marked += 1)) }] }
        : {}),
  }, (error, result) => (error ? fail(error) : finish(result)));
  instance.on('response', (_client: unknown, status: number, _bytes: number, responseTimeMs: number) => {
    if (status >= 200 && status < 300) latencies.push(responseTimeMs);
  });
  const result = await finished;
  const cpuAfter = pid === undefined ? undefined : cpuMs(pid);
  return {
    completed: result.requests.total,
    good: result.requests.total - marked,
    failures: result.non2xx + result.errors + result.timeouts + marked,
    durationS: result.duration,
    latencies,
    serverCpuMs: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore,
  };
}

/** Stretches of load on one server, summed as if they were one. */
function summed(samples: readonly Sample[]): LoadResult {
  const completed = samples.reduce((n, x) => n + x.completed, 0);
  const latencies = samples.flatMap((x) => x.latencies).sort((a, b) => a - b);
  const cpus = samples.map((x) => x.serverCpuMs);
  const cpu = cpus.every((c) => c !== undefined) ? cpus.reduce((n: number, c) => n + (c ?? 0), 0) : undefined;
  return {
    requestsPerSecond: samples.reduce((n, x) => n + x.good, 0) / samples.reduce((n, x) => n + x.durationS, 0),
    completed,
    failures: samples.reduce((n, x) => n + x.failures, 0),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    ...(cpu !== undefined && completed > 0 ? { serverCpuUs: (cpu * 1000) / completed } : {}),
  };
}

export async function load(options: LoadOptions): Promise<LoadResult> {
  const warmup = options.warmupSeconds ?? 1;
  if (warmup > 0) await once(options, warmup);
  await options.afterWarmup?.();
  return summed([await once(options, options.seconds)]);
}

/**
 * Several servers measured in turns rather than one after another: each is warmed up, then every one gets a
 * slice of its `seconds` in turn, `slices` times over, and each one's slices are summed. A machine whose speed
 * drifts (other tenants of the host, a noisy neighbour) then slows all of them alike, where back-to-back runs
 * of several seconds each could give one a fast stretch and the next a slow one: the ratio between them is
 * what the figures report. `afterWarmup` runs once each, after every warm-up.
 */
export async function interleaved(servers: readonly LoadOptions[], slices: number): Promise<LoadResult[]> {
  for (const options of servers) {
    const warmup = options.warmupSeconds ?? 1;
    if (warmup > 0) await once(options, warmup);
  }
  for (const options of servers) await options.afterWarmup?.();
  const samples: Sample[][] = servers.map(() => []);
  for (let slice = 0; slice < slices; slice += 1) {
    for (const [i, options] of servers.entries()) samples[i]?.push(await once(options, options.seconds / slices));
  }
  return samples.map(summed);
}

function perRequestPath<H extends object>(
  headers: H | undefined,
  make: NonNullable<LoadOptions['pathPerRequest']>,
): { path: string; headers: H } {
  const made = make();
  return { path: made.path, headers: { ...headers, ...made.headers } as H };
}
