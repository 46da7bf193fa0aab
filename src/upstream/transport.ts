/**
 * One HTTP exchange: send, read the whole body, and turn transport failures into typed problems. It knows
 * nothing of retries or vendors.
 */
import { UpstreamError } from './errors.ts';
import type { OutgoingRequest, UpstreamResponse } from './request.ts';
import type { ResponseHeaders } from './response-headers.ts';

/** What `send` reads of a response: a fetch Response has it; http-fetch.ts's also holds its bytes whole. */
export interface FetchedResponse {
  readonly status: number;
  readonly headers: ResponseHeaders;
  arrayBuffer(): Promise<ArrayBuffer>;
  /** The body already read, when the fetch has it whole: read without a copy. */
  readonly wholeBody?: Uint8Array;
}

/** The global fetch's shape: tests pass stubs and wrappers of it. */
export type FetchLike = (input: URL, init: RequestInit) => Promise<FetchedResponse>;

/** A FetchLike that bounds a call by `timeoutMs` itself, when given one, so that no AbortSignal is made per call. */
export interface TimedFetch extends FetchLike {
  (input: URL, init: RequestInit & { readonly timeoutMs?: number }): Promise<FetchedResponse>;
  readonly timesOut: true;
}

function isTimed(fetchImpl: FetchLike): fetchImpl is TimedFetch {
  return (fetchImpl as Partial<TimedFetch>).timesOut === true;
}

/** Failures that happen before any byte leaves: the vendor cannot have seen the call. */
const NOT_DELIVERED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export async function send(
  fetchImpl: FetchLike,
  vendor: string,
  request: OutgoingRequest,
  timeoutMs: number,
): Promise<UpstreamResponse> {
  const init = { method: request.method, headers: request.headers, body: request.body, redirect: 'manual' } as const;
  const timeout = Math.max(1, timeoutMs);
  let response: FetchedResponse;
  let bytes: Uint8Array;
  try {
    response = isTimed(fetchImpl) ? await fetchImpl(request.url, { ...init, timeoutMs: timeout }) : await fetchImpl(request.url, { ...init, signal: AbortSignal.timeout(timeout) });
    bytes = response.wholeBody ?? new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    throw transportError(vendor, error, request.method);
  }
  return { status: response.status, headers: response.headers, body: parseJson(bytes, response.headers), bytes };
}

const utf8 = new TextDecoder();

/** Also restores a shared cache entry exactly as the replica that fetched it parsed it. */
export function parseJson(bytes: Uint8Array, headers: ResponseHeaders): unknown {
  if (bytes.length === 0) return undefined;
  const type = headers.get('content-type') ?? '';
  const text = utf8.decode(bytes);
  // Some vendors send JSON without saying so; try when the body looks like JSON.
  if (!type.includes('json') && !/^\s*[[{]/.test(text)) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function transportError(vendor: string, error: unknown, method: string): UpstreamError {
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new UpstreamError(vendor, { kind: 'timeout', maybeDelivered: true }, `${vendor} did not answer in time`);
  }
  const code = errorCode(error);
  const delivered = code === undefined || !NOT_DELIVERED_CODES.has(code);
  return new UpstreamError(
    vendor,
    { kind: 'network', maybeDelivered: delivered },
    `${vendor} could not be reached (${code ?? 'connection failed'}) during ${method}`,
  );
}

function errorCode(error: unknown): string | undefined {
  // undici wraps the socket error: TypeError('fetch failed', { cause: { code } }).
  for (let e: unknown = error, depth = 0; e && depth < 4; depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
