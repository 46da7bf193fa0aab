/** Caseware's error body, `{ errors: [{ message }] }`, made in one place so every route answers alike. */
import type { CasewareErrorBody } from '../../vendors/caseware/wire.ts';
import type { SimResponse } from '../http.ts';

export function error(status: number, message: string): SimResponse {
  const body: CasewareErrorBody = { errors: [{ message }] };
  return { status, body };
}
