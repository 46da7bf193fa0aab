/**
 * The fetch every upstream call uses unless one is passed in: undici's `request()` over one keep-alive
 * Agent, answered as a standard `Response`. Node's global fetch is undici too, but its WHATWG streams made
 * each call cost about twice the CPU: against the CareHQ simulator on this project's 2-core machine, 10
 * callers at once made 660–1,080 calls/s through fetch and 1,500–1,900 through this. The gateway makes one
 * such call per vendor page, so with the cache off this is most of what a request costs beyond Apollo.
 *
 * Same contract as fetch for what the transport uses: redirects are not followed (it sends `redirect:
 * 'manual'`), a socket error keeps its `code` (ECONNREFUSED, ...), and an aborted or timed-out call rejects
 * with the signal's reason (a TimeoutError for `AbortSignal.timeout`).
 */
import { Agent, request } from 'undici';
import type { FetchLike } from './transport.ts';

type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

/** Statuses whose Response may carry no body. */
const NULL_BODY = new Set([101, 204, 205, 304]);

/** One pool of keep-alive connections per process, shared by every core that does not bring its own. */
let processAgent: Agent | undefined;

export function undiciFetch(agent: Agent = (processAgent ??= new Agent())): FetchLike {
  return async (input, init) => {
    const signal = init.signal ?? undefined;
    try {
      const answer = await request(input, {
        method: (init.method ?? 'GET') as Method,
        headers: plainHeaders(init.headers),
        body: init.body as string | Uint8Array | null | undefined,
        signal,
        dispatcher: agent,
      });
      const bytes = await answer.body.arrayBuffer();
      const headers: Array<[string, string]> = [];
      for (const [name, value] of Object.entries(answer.headers)) {
        if (value === undefined) continue;
        if (Array.isArray(value)) for (const one of value) headers.push([name, one]);
        else headers.push([name, value]);
      }
      const body = NULL_BODY.has(answer.statusCode) || bytes.byteLength === 0 ? null : bytes;
      return new Response(body, { status: answer.statusCode, headers });
    } catch (error) {
      // undici reports an abort as its own error; the transport tells a timeout by the signal's reason.
      if (signal?.aborted) throw signal.reason;
      throw error;
    }
  };
}

function plainHeaders(headers: RequestInit['headers']): Record<string, string> | undefined {
  if (headers === undefined) return undefined;
  if (headers instanceof Headers || Array.isArray(headers)) return Object.fromEntries(new Headers(headers).entries());
  return headers as Record<string, string>;
}
