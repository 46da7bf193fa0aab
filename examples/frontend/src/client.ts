/**
 * The example's whole GraphQL client: a typed `fetch` to the gateway. The document's type fixes both the
 * variables it takes and the data it returns, so a schema change that breaks an operation fails typecheck.
 *
 * A browser on another origin meets the gateway as any frontend does: `content-type: application/json` and
 * `x-api-key` make every request preflighted (CORS), which is also what Apollo's CSRF prevention asks for.
 */
import type { TypedDocumentString } from './gql/graphql.ts';

export interface FieldError {
  readonly field: string;
  readonly messages: readonly string[];
}

export interface GraphQLErrorShape {
  readonly message: string;
  readonly extensions?: { readonly code?: string; readonly fieldErrors?: readonly FieldError[] };
}

export type Result<T> = { ok: true; data: T } | { ok: false; status: number; errors: readonly GraphQLErrorShape[] };

export class GatewayClient {
  constructor(
    readonly url: string,
    private readonly apiKey: () => string,
  ) {}

  async execute<TResult, TVariables>(document: TypedDocumentString<TResult, TVariables>, variables: TVariables): Promise<Result<TResult>> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    const key = this.apiKey().trim();
    if (key) headers['x-api-key'] = key;
    let response: Response;
    try {
      response = await fetch(this.url, { method: 'POST', headers, body: JSON.stringify({ query: document.toString(), variables }) });
    } catch {
      // A CORS refusal looks exactly like this to the page: the browser hides the reason.
      return { ok: false, status: 0, errors: [{ message: `cannot reach the gateway at ${this.url} (is it running, and does CORS allow ${location.origin}?)` }] };
    }
    const body = (await response.json().catch(() => ({}))) as { data?: TResult | null; errors?: GraphQLErrorShape[] };
    if (body.errors?.length || !body.data) return { ok: false, status: response.status, errors: body.errors ?? [{ message: `HTTP ${response.status}` }] };
    return { ok: true, data: body.data };
  }
}

/**
 * Each input field's messages: the vendor's field errors (`extensions.fieldErrors`), and variable errors that
 * name a field of `input` (`... at "input.email"; ...`, the gateway's own checks of scalars like EmailAddress).
 * Whatever names no field is returned under `''`.
 */
export function errorsByField(errors: readonly GraphQLErrorShape[]): Map<string, string[]> {
  const byField = new Map<string, string[]>();
  const add = (field: string, message: string) => byField.set(field, [...(byField.get(field) ?? []), message]);
  for (const error of errors) {
    const fieldErrors = error.extensions?.fieldErrors;
    if (fieldErrors?.length) {
      for (const { field, messages } of fieldErrors) for (const message of messages) add(field, message);
      continue;
    }
    const named = /at "input\.(\w+)"/.exec(error.message);
    add(named?.[1] ?? '', error.message);
  }
  return byField;
}
