/**
 * The fetch every upstream call uses unless one is passed in: node's own http(s) client on keep-alive agents.
 * Node's global fetch costs more CPU per call (its WHATWG streams): in two measurements against the CareHQ
 * simulator on this project's 2-core machine, with 10 callers at once, plain clients (undici's request(), then
 * node:http) made 1.2–2.3 × the calls per second of fetch. The gateway makes one such call per vendor page, so
 * with the cache off this is much of what a request costs beyond Apollo. node:http rather than the undici
 * package: it loads no second HTTP stack into memory (peak RSS is a figure).
 *
 * Two savings over the fetch contract, both measured on the cache-off path (issue #8): the answer is a plain
 * object holding the body's bytes (a WHATWG Response copies them into a stream and out again), and the timeout
 * is a timer on the request (an AbortSignal per call, with its listeners, cost as much as the copy). So this
 * is a `TimedFetch`: transport.ts passes `timeoutMs` instead of a signal.
 *
 * Same contract as fetch for what the transport uses: redirects are not followed, a socket error keeps its
 * `code` (ECONNREFUSED, ...), and a call that runs out of time rejects with a TimeoutError, as
 * `AbortSignal.timeout` makes fetch reject.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { HeaderList } from './response-headers.ts';
import type { FetchedResponse, TimedFetch } from './transport.ts';

/** One pool of keep-alive connections per process and scheme, shared by every core that brings no fetch. */
let agents: { readonly http: HttpAgent; readonly https: HttpsAgent } | undefined;

/** A response read whole: what transport.ts needs of one, without a stream around the bytes. */
class WholeResponse implements FetchedResponse {
  constructor(
    readonly status: number,
    readonly headers: HeaderList,
    readonly wholeBody: Uint8Array,
  ) {}

  arrayBuffer(): Promise<ArrayBuffer> {
    const { buffer, byteOffset, byteLength } = this.wholeBody;
    return Promise.resolve(buffer.slice(byteOffset, byteOffset + byteLength) as ArrayBuffer);
  }
}

export function httpFetch(): TimedFetch {
  agents ??= { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
  const { http, https } = agents;
  const timed = (input: URL, init: RequestInit & { readonly timeoutMs?: number }) =>
    new Promise<FetchedResponse>((resolve, reject) => {
      const secure = input.protocol === 'https:';
      const send = secure ? httpsRequest : httpRequest;
      let settled = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const settle = (then: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        then();
      };
      // A caller's own signal still works as with fetch; transport.ts passes none.
      const signal = init.signal ?? undefined;
      const req = send(input, { method: init.method ?? 'GET', headers: plainHeaders(init.headers), agent: secure ? https : http, ...(signal ? { signal } : {}) }, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error) => settle(() => reject(error)));
        res.on('end', () => {
          const body = wholeOf(chunks);
          settle(() => resolve(new WholeResponse(res.statusCode ?? 0, new HeaderList(res.rawHeaders), body)));
        });
      });
      // The whole exchange, as AbortSignal.timeout bounds a fetch; destroying the request also frees its socket.
      if (init.timeoutMs !== undefined) {
        timer = setTimeout(() => {
          const error = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
          settle(() => reject(error));
          req.destroy(error);
        }, init.timeoutMs);
      }
      req.on('error', (error) => settle(() => reject(signal?.aborted ? signal.reason : error)));
      const body = init.body as string | Uint8Array | null | undefined;
      req.end(body ?? undefined);
    });
  return Object.assign(timed, { timesOut: true as const });
}

/**
 * The chunks as one buffer, copied only when it must be: a lone chunk that owns its memory is kept as it is
 * (node:http's usually do); one that views a larger buffer is copied, or a cached answer would keep all of it.
 */
function wholeOf(chunks: readonly Buffer[]): Buffer {
  const only = chunks.length === 1 ? chunks[0] : undefined;
  if (only && only.byteOffset === 0 && only.byteLength === only.buffer.byteLength) return only;
  return Buffer.concat(chunks);
}

function plainHeaders(headers: RequestInit['headers']): Record<string, string> | undefined {
  if (headers === undefined) return undefined;
  if (headers instanceof Headers || Array.isArray(headers)) return Object.fromEntries(new Headers(headers).entries());
  return headers as Record<string, string>;
}
