/**
 * What can go wrong upstream, as one discriminated union. Vendors classify their own responses into these
 * kinds; the GraphQL layer (src/graphql/errors.ts) is the only place they become GraphQLErrors.
 */

/** A field-level complaint from the vendor, already keyed by the vendor's field name. */
export type FieldErrors = Readonly<Record<string, readonly string[]>>;

export type UpstreamProblem =
  /** 429 or our own queue gave up waiting; `retryAfterMs` is when a retry may succeed. */
  | { kind: 'rate_limited'; retryAfterMs: number }
  /** A monthly (or other long-period) quota is used up: no retry until `resetAt` (epoch ms). */
  | { kind: 'quota_exhausted'; resetAt: number | undefined }
  /** Credentials missing, wrong or expired beyond what a refresh fixes. */
  | { kind: 'unauthorized' }
  | { kind: 'forbidden' }
  | { kind: 'not_found' }
  /** The vendor rejected the request as malformed; `fieldErrors` names the fields when it says. */
  | { kind: 'bad_request'; fieldErrors: FieldErrors | undefined; vendorCode: string | undefined }
  | { kind: 'conflict' }
  /** 5xx, or a response we could not read. */
  | { kind: 'server_error' }
  /** The vendor did not answer within our upstream timeout. `maybeDelivered`: the request may have reached it. */
  | { kind: 'timeout'; maybeDelivered: boolean }
  /**
   * The caller's own deadline ran out while the call was on the wire: the attempt's timeout was what was left
   * of the request's time, shorter than the upstream timeout. Says nothing about the vendor's health, so it is
   * neither retried nor counted by the breaker. It may have reached the vendor.
   */
  | { kind: 'deadline_exceeded' }
  /** The request has sent all the vendor calls one request may send (budget.ts); nothing was sent. */
  | { kind: 'call_budget_spent'; limit: number }
  /** The connection failed. `maybeDelivered` is false only when it failed before a byte was sent. */
  | { kind: 'network'; maybeDelivered: boolean }
  /** The circuit breaker is open after repeated failures; calls fail fast until `retryAfterMs`. */
  | { kind: 'circuit_open'; retryAfterMs: number }
  /** The vendor lacks an extension of ours (capabilities.ts) the request needs, with no documented equivalent. */
  | { kind: 'unsupported'; extension: string };

export type UpstreamProblemKind = UpstreamProblem['kind'];

/**
 * An upstream failure with everything a client can act on. `message` is safe to show: it never holds
 * credentials, signatures or the vendor's raw body.
 */
export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';

  constructor(
    readonly vendor: string,
    readonly problem: UpstreamProblem,
    message: string,
    /** HTTP status when there was a response. */
    readonly status?: number,
    /** Set when retrying cannot help (the queue already waited out the caller's deadline). */
    readonly final = false,
    /** The vendor's own extra detail, for its data source (never shown to clients as is). */
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export function isUpstreamError(error: unknown): error is UpstreamError {
  return error instanceof UpstreamError;
}

export function isProblem<K extends UpstreamProblemKind>(
  error: unknown,
  kind: K,
): error is UpstreamError & { problem: Extract<UpstreamProblem, { kind: K }> } {
  return isUpstreamError(error) && error.problem.kind === kind;
}

/**
 * The problem a status implies when a vendor's body says nothing more specific. Every 4xx but 401, 403, 404,
 * 409 and 429 is `bad_request`: 413, 414 and 431 (a body, URL or header too long) included. Our request was
 * wrong, so sending it again cannot help, and it says nothing about the vendor's health; only 5xx (and
 * anything else unexpected) is `server_error`, which the breaker counts.
 */
export function problemForStatus(status: number): UpstreamProblem {
  if (status === 401) return { kind: 'unauthorized' };
  if (status === 403) return { kind: 'forbidden' };
  if (status === 404) return { kind: 'not_found' };
  if (status === 409) return { kind: 'conflict' };
  if (status === 429) return { kind: 'rate_limited', retryAfterMs: 1000 };
  if (status >= 400 && status < 500) return { kind: 'bad_request', fieldErrors: undefined, vendorCode: undefined };
  return { kind: 'server_error' };
}
