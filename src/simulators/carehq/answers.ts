/**
 * CareHQ's error answers (`error_type`, `hint`, `arg_errors`), made in one place so that the guard and every
 * route answer in the same shape.
 */
import type { CareHqErrorBody } from '../../vendors/carehq/wire.ts';
import type { SimResponse } from '../http.ts';

/** A checked request argument or form, or the `arg_errors` that refuse it. */
export type Parsed<T> = { readonly kind: 'ok'; readonly value: T } | { readonly kind: 'invalid'; readonly argErrors: Record<string, string[]> };

export function errorResponse(status: number, body: CareHqErrorBody): SimResponse {
  return { status, body };
}

export function unauthorized(hint: string): SimResponse {
  return errorResponse(401, { error_type: 'unauthorized', hint });
}

export function rateLimited(): SimResponse {
  return errorResponse(429, {
    error_type: 'rate_limit_exceeded',
    hint: 'Too many requests for this API key; wait until X-CareHQ-RateLimit-Reset.',
  });
}

export function notFound(hint: string): SimResponse {
  return errorResponse(404, { error_type: 'not_found', hint });
}

export function invalid(argErrors: Record<string, string[]>): SimResponse {
  return errorResponse(400, {
    error_type: 'invalid_request',
    hint: 'One or more arguments are not valid; see arg_errors.',
    arg_errors: argErrors,
  });
}
