/**
 * The fetch every upstream call uses unless one is passed in: node's own http(s) client on keep-alive agents,
 * answered as a standard `Response`. Node's global fetch costs more CPU per call (its WHATWG streams): in two
 * measurements against the CareHQ simulator on this project's 2-core machine, with 10 callers at once, plain
 * clients (undici's request(), then node:http) made 1.2–2.3 × the calls per second of fetch. The gateway makes
 * one such call per vendor page, so with the cache off this is much of what a request costs beyond Apollo.
 * node:http rather than the undici package: it loads no second HTTP stack into memory (peak RSS is a figure).
 *
 * Same contract as fetch for what the transport uses: redirects are not followed, a socket error keeps its
 * `code` (ECONNREFUSED, ...), and an aborted or timed-out call rejects with the signal's reason (a
 * TimeoutError for `AbortSignal.timeout`).
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { FetchLike } from './transport.ts';

/** Statuses whose Response may carry no body. */
const NULL_BODY = new Set([101, 204, 205, 304]);

/** One pool of keep-alive connections per process and scheme, shared by every core that brings no fetch. */
let agents: { readonly http: HttpAgent; readonly https: HttpsAgent } | undefined;

export function httpFetch(): FetchLike {
  agents ??= { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
  const { http, https } = agents;
  return (input, init) =>
    new Promise<Response>((resolve, reject) => {
      const signal = init.signal ?? undefined;
      const fail = (error: unknown) => reject(signal?.aborted ? signal.reason : error);
      if (signal?.aborted) return fail(signal.reason);
      const secure = input.protocol === 'https:';
      const send = secure ? httpsRequest : httpRequest;
      const req = send(input, { method: init.method ?? 'GET', headers: plainHeaders(init.headers), agent: secure ? https : http, signal }, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', fail);
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const empty = chunks.every((chunk) => chunk.length === 0);
          const headers: Array<[string, string]> = [];
          for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) headers.push([res.rawHeaders[i] ?? '', res.rawHeaders[i + 1] ?? '']);
          try {
            resolve(new Response(NULL_BODY.has(status) || empty ? null : streamOf(chunks), { status, headers }));
          } catch (error) {
            fail(error);
          }
        });
      });
      req.on('error', fail);
      const body = init.body as string | Uint8Array | null | undefined;
      req.end(body ?? undefined);
    });
}

/**
 * The chunks as they came off the socket. A Buffer given to Response is copied into the body, after it was
 * joined from these chunks: two copies of every page in native memory before anyone read one.
 */
function streamOf(chunks: readonly Buffer[]): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

function plainHeaders(headers: RequestInit['headers']): Record<string, string> | undefined {
  if (headers === undefined) return undefined;
  if (headers instanceof Headers || Array.isArray(headers)) return Object.fromEntries(new Headers(headers).entries());
  return headers as Record<string, string>;
}
