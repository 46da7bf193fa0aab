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
   * threads), when `serverPid` was given and /proc is there. Steadier than requests per second on a shared
   * machine: it does not move with what else is running, only with what a request costs.
   */
  readonly serverCpuUs?: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function once(options: LoadOptions, seconds: number): Promise<LoadResult> {
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
  latencies.sort((a, b) => a - b);
  return {
    requestsPerSecond: (result.requests.total - marked) / result.duration,
    completed: result.requests.total,
    failures: result.non2xx + result.errors + result.timeouts + marked,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}

export async function load(options: LoadOptions): Promise<LoadResult> {
  const warmup = options.warmupSeconds ?? 1;
  if (warmup > 0) await once(options, warmup);
  await options.afterWarmup?.();
  const pid = options.serverPid;
  const before = pid === undefined ? undefined : cpuMs(pid);
  const result = await once(options, options.seconds);
  const after = pid === undefined ? undefined : cpuMs(pid);
  if (before === undefined || after === undefined || result.completed === 0) return result;
  return { ...result, serverCpuUs: ((after - before) * 1000) / result.completed };
}

function perRequestPath<H extends object>(
  headers: H | undefined,
  make: NonNullable<LoadOptions['pathPerRequest']>,
): { path: string; headers: H } {
  const made = make();
  return { path: made.path, headers: { ...headers, ...made.headers } as H };
}
