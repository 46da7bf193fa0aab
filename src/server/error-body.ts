/**
 * The body of an error the gateway answers outside Apollo (401, 403, 404, 413, 429 on its own routes), in the
 * shape of a GraphQL response's errors so a client reads one shape, and with the request id in
 * `extensions.requestId` as every error Apollo formats has it (format-error.ts).
 */
export interface ErrorBody {
  readonly errors: ReadonlyArray<{ readonly message: string; readonly extensions: Readonly<Record<string, unknown>> }>;
}

/** `requestId` is the request's (`requestIdOf(req)`): every error a client is answered carries it. */
export function errorBody(message: string, extensions: Readonly<Record<string, unknown>>, requestId: string): ErrorBody {
  return { errors: [{ message, extensions: { ...extensions, requestId } }] };
}
