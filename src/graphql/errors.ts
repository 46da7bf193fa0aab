/**
 * The one place where failures become GraphQLErrors. Every error a client sees has a stable
 * `extensions.code`; upstream ones add `vendor`, `status` and `retryAfter` (seconds) where they apply.
 * Messages never carry credentials, signatures, vendor bodies or stack traces.
 */
import { GraphQLError } from 'graphql';
import { isUpstreamError, type UpstreamError } from '../upstream/errors.ts';

export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  RATE_LIMITED: 'RATE_LIMITED',
  QUOTA_EXHAUSTED: 'QUOTA_EXHAUSTED',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  UPSTREAM_BAD_REQUEST: 'UPSTREAM_BAD_REQUEST',
  UPSTREAM_UNAVAILABLE: 'UPSTREAM_UNAVAILABLE',
  UPSTREAM_TIMEOUT: 'UPSTREAM_TIMEOUT',
  /** The request needs more vendor calls than one request may make (MAX_UPSTREAM_CALLS_PER_REQUEST). */
  /** The operation breaks a static limit (aliases, depth, tokens, directives, cost); refused before it runs. */
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  /** The request used up its vendor calls (MAX_UPSTREAM_CALLS_PER_REQUEST) while it ran. */
  QUERY_TOO_EXPENSIVE: 'QUERY_TOO_EXPENSIVE',
  /** The client holds as many `vendorEvents` subscriptions as it may; complete one first. */
  TOO_MANY_SUBSCRIPTIONS: 'TOO_MANY_SUBSCRIPTIONS',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  /** The vendor does not offer what the field needs (an extension of ours it turned out not to have). */
  VENDOR_UNSUPPORTED: 'VENDOR_UNSUPPORTED',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export function badInput(message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, ...extra } });
}

/** A field the vendor gives no way to answer; `vendor` says which. */
export function vendorUnsupported(message: string, vendor: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.VENDOR_UNSUPPORTED, vendor } });
}

/**
 * A field or object the caller's scopes do not reach. Names the missing scopes (never the caller's key or
 * token) and, in `requiredScopes`, the whole requirement: any one inner list, in full.
 */
export function forbidden(missing: readonly string[], where: string, required: ReadonlyArray<ReadonlyArray<string>>): GraphQLError {
  const noun = missing.length === 1 ? 'scope' : 'scopes';
  return new GraphQLError(`missing ${noun} ${missing.join(', ')} (required for ${where})`, {
    extensions: { code: ErrorCode.FORBIDDEN, missingScopes: [...missing], requiredScopes: required.map((inner) => [...inner]) },
  });
}

/**
 * Renames the vendor's field names to the GraphQL input's (e.g. `first_name` -> `firstName`) so a form can
 * put each message next to the right input.
 */
export type FieldNameMap = (vendorField: string) => string;

export function fromUpstream(error: UpstreamError, fieldName: FieldNameMap = (f) => f): GraphQLError {
  const p = error.problem;
  const base = { vendor: error.vendor.toUpperCase(), status: error.status };
  const make = (code: ErrorCode, extra: Record<string, unknown> = {}) =>
    new GraphQLError(error.message, { extensions: { code, ...base, ...extra } });
  switch (p.kind) {
    case 'rate_limited':
      return make(ErrorCode.RATE_LIMITED, { retryAfter: Math.ceil(p.retryAfterMs / 1000) });
    case 'quota_exhausted':
      return make(ErrorCode.QUOTA_EXHAUSTED, {
        resetAt: p.resetAt === undefined ? null : new Date(p.resetAt).toISOString(),
        retryAfter: p.resetAt === undefined ? null : Math.max(0, Math.ceil((p.resetAt - Date.now()) / 1000)),
      });
    case 'unauthorized':
      return make(ErrorCode.UNAUTHENTICATED);
    case 'forbidden':
      return make(ErrorCode.FORBIDDEN);
    case 'not_found':
      return make(ErrorCode.NOT_FOUND);
    case 'conflict':
      return make(ErrorCode.CONFLICT);
    case 'bad_request': {
      const fieldErrors = Object.entries(p.fieldErrors ?? {}).map(([field, messages]) => ({
        field: fieldName(field),
        messages: [...messages],
      }));
      // Refused by our own checks before anything was sent: the caller's input is at fault, not the vendor's.
      if (error.status === undefined) return make(ErrorCode.BAD_USER_INPUT, { fieldErrors });
      return make(ErrorCode.UPSTREAM_BAD_REQUEST, { fieldErrors, vendorCode: p.vendorCode ?? null });
    }
    case 'timeout':
    case 'deadline_exceeded':
      return make(ErrorCode.UPSTREAM_TIMEOUT);
    case 'call_budget_spent':
      return make(ErrorCode.QUERY_TOO_EXPENSIVE, { maxUpstreamCalls: p.limit });
    case 'circuit_open':
      return make(ErrorCode.UPSTREAM_UNAVAILABLE, { retryAfter: Math.ceil(p.retryAfterMs / 1000) });
    case 'unsupported':
      return make(ErrorCode.VENDOR_UNSUPPORTED, { extension: p.extension });
    case 'server_error':
    case 'network':
      return make(ErrorCode.UPSTREAM_UNAVAILABLE);
  }
}

/**
 * A GraphQLError from any copy of graphql-js. Two copies can be loaded at once (Apollo requires the CommonJS
 * build while code resolved through the package's `module` field, as vitest does, gets the ESM build), and
 * `instanceof` knows only its own; the Symbol.toStringTag graphql-js gives its errors is the same in both.
 */
export function isGraphQLError(error: unknown): error is Pick<GraphQLError, 'message' | 'extensions' | 'originalError'> {
  return error instanceof GraphQLError || Object.prototype.toString.call(error) === '[object GraphQLError]';
}

/** Anything thrown by a resolver, as the client will see it. Unknown errors lose their message. */
export function toGraphQLError(error: unknown): GraphQLError {
  if (isGraphQLError(error)) {
    const original = error.originalError;
    if (original && !isGraphQLError(original)) return toGraphQLError(original);
    return error instanceof GraphQLError ? error : new GraphQLError(error.message, { extensions: { ...error.extensions } });
  }
  if (isUpstreamError(error)) return fromUpstream(error);
  return new GraphQLError('Internal server error', { extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } });
}
