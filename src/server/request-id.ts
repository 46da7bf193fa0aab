/**
 * Every request gets an id: the client's `x-request-id` when it is a plain token (a proxy's or a frontend's,
 * so one id follows the request end to end), else a new random UUID. It is echoed in the `x-request-id`
 * response header, bound to the request's log lines, and put in masked errors' `extensions.requestId`, so a
 * user who reports "Internal server error" hands over the key to the log line that explains it.
 *
 * Apollo formats errors without the request's context, and that is where masked errors are logged; so the
 * errors of each GraphQL request are tagged with its id as Apollo reports them (`requestIdPlugin`), and the
 * formatter reads the tag. Everything else is handed the id explicitly (the context's child logger, the
 * upstream call context, `errorBody`). Not async-local storage: it turns on a promise hook for every promise
 * the process makes, which cost a warm request a fifth of its time (README, Performance).
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** What a client may choose as an id: short, and safe in a header and a log line. */
const WELL_FORMED = /^[A-Za-z0-9._-]{1,128}$/;

const ids = new WeakMap<IncomingMessage, string>();
/** Each reported error's request id; weak, so a tag lives no longer than its error. */
const errorIds = new WeakMap<object, string>();

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

/** Tags every error a GraphQL request reports with the request's id (`requestId` in its context). */
export function requestIdPlugin<C extends { readonly requestId: string }>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart({ contextValue }) {
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) errorIds.set(error, contextValue.requestId);
        },
      };
    },
  };
}

/** The id of the request that reported `error`, if a GraphQL request did. */
export function requestIdOfError(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? errorIds.get(error) : undefined;
}
