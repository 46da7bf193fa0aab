/**
 * Which client application sent a GraphQL request, as Apollo's clients and routers name it: the
 * `apollographql-client-name` and `apollographql-client-version` headers. Both are the client's word, so they
 * are cut to a short length before they reach a log line or a metric label.
 */
import type { HeaderMap } from '@apollo/server';

/** Longest name or version kept; the rest is cut. */
const MAX_LENGTH = 64;

export interface ClientName {
  /** undefined when the client sent no name. */
  readonly name: string | undefined;
  readonly version: string | undefined;
}

export function clientNameOf(headers: HeaderMap | undefined): ClientName {
  return { name: clean(headers?.get('apollographql-client-name')), version: clean(headers?.get('apollographql-client-version')) };
}

function clean(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  // Control characters would let a client forge a second line in a text log. (Node's HTTP parser already
  // refuses most in headers; this holds for whatever reaches here by another way.)
  return trimmed ? [...trimmed.slice(0, MAX_LENGTH)].map((c) => (c < ' ' || c === '\u007f' ? '?' : c)).join('') : undefined;
}
