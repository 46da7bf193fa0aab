/**
 * Every request gets an id: the client's `x-request-id` when it is a plain token (a proxy's or a frontend's,
 * so one id follows the request end to end), else a new random UUID. It is echoed in the `x-request-id`
 * response header, bound to the request's log lines, and put in masked errors' `extensions.requestId`, so a
 * user who reports "Internal server error" hands over the key to the log line that explains it.
 *
 * The id of the request being handled is also kept in async-local storage for the whole of its handling:
 * Apollo formats errors without the request's context, and that is where masked errors are logged.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** What a client may choose as an id: short, and safe in a header and a log line. */
const WELL_FORMED = /^[A-Za-z0-9._-]{1,128}$/;

const ids = new WeakMap<IncomingMessage, string>();
const current = new AsyncLocalStorage<string>();

/** The request's id, made once however many routes and hooks ask. */
export function requestIdOf(req: IncomingMessage): string {
  let id = ids.get(req);
  if (id === undefined) {
    const given = req.headers['x-request-id'];
    id = typeof given === 'string' && WELL_FORMED.test(given) ? given : randomUUID();
    ids.set(req, id);
  }
  return id;
}

/** Runs `handle` with `req`'s id as the current one. */
export function withRequestId<T>(req: IncomingMessage, handle: () => T): T {
  return current.run(requestIdOf(req), handle);
}

/** The id of the request being handled, if any. */
export function currentRequestId(): string | undefined {
  return current.getStore();
}
