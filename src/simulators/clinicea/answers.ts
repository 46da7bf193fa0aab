/** Clinicea's ASP.NET-style answers: JSON with a charset, and `{ Message }` for every error. */
import type { CliniceaErrorBody } from '../../vendors/clinicea/wire.ts';
import type { SimResponse } from '../http.ts';

export function json(status: number, body: unknown, headers: Record<string, string> = {}): SimResponse {
  // ASP.NET Web API names the charset; a client that checks the media type must not trip over it.
  return { status, body, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } };
}

export function error(Message: string): CliniceaErrorBody {
  return { Message };
}

export function leadNotFound(): SimResponse {
  return json(404, error('Lead not found'));
}
