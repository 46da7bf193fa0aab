/** The Generic OAuth2 API's `{ error: { code, message, details? } }` answers and the request readers every route shares. */
import type { GenericError, GenericErrorBody, GenericErrorCode } from '../../vendors/generic/wire.ts';
import type { SimResponse } from '../http.ts';

export function rateLimited(): SimResponse {
  return fail(429, 'RATE_LIMITED', 'rate limit exceeded; retry after the Retry-After header');
}

export function fail(status: number, code: GenericErrorCode, message: string, details?: Record<string, unknown>): SimResponse {
  const error: GenericError = details ? { code, message, details } : { code, message };
  const body: GenericErrorBody = { error };
  return { status, body };
}

export { header } from '../http.ts';

export function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
}
