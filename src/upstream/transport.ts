/**
 * One HTTP exchange: send, read the whole body, and turn transport failures into typed problems. It knows
 * nothing of retries or vendors.
 */
import { UpstreamError } from './errors.ts';
import type { OutgoingRequest, UpstreamResponse } from './request.ts';

export type FetchLike = (input: URL, init: RequestInit) => Promise<Response>;

/** Failures that happen before any byte leaves: the vendor cannot have seen the call. */
const NOT_DELIVERED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export async function send(
  fetchImpl: FetchLike,
  vendor: string,
  request: OutgoingRequest,
  timeoutMs: number,
): Promise<UpstreamResponse> {
  const signal = AbortSignal.timeout(Math.max(1, timeoutMs));
  let response: Response;
  try {
    response = await fetchImpl(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal,
      redirect: 'manual',
    });
  } catch (error) {
    throw transportError(vendor, error, request.method);
  }
  let bytes: Uint8Array;
  try {
    bytes = await readBody(response);
  } catch (error) {
    throw transportError(vendor, error, request.method);
  }
  return { status: response.status, headers: response.headers, body: parseJson(bytes, response.headers), bytes };
}

const NO_BYTES = new Uint8Array(0);

/**
 * The whole body, copied only when it must be. Not `arrayBuffer()`, which joins even one chunk into a new
 * buffer and then copies that again: two short-lived copies of every page in native memory, which a walk
 * through thousands of records turned into megabytes of peak RSS. A lone chunk is kept as it is when it owns
 * its memory (node:http's do); a view into a larger buffer is copied, or a cached answer would keep all of it.
 */
async function readBody(response: Response): Promise<Uint8Array> {
  if (response.body === null) return NO_BYTES;
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    chunks.push(read.value);
    length += read.value.length;
  }
  const only = chunks.length === 1 ? chunks[0] : undefined;
  if (only && only.byteOffset === 0 && only.byteLength === only.buffer.byteLength) return only;
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
}

/** Also restores a shared cache entry exactly as the replica that fetched it parsed it. */
export function parseJson(bytes: Uint8Array, headers: Headers): unknown {
  if (bytes.length === 0) return undefined;
  const type = headers.get('content-type') ?? '';
  const text = new TextDecoder().decode(bytes);
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
