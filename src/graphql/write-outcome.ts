/**
 * How a write's outcome reaches its payload: made (the value, no field errors) or refused by the caller's input
 * (no value, the refusal per input field). Anything else (not found, rate limited past the deadline, the
 * vendor down) is not the input's fault and stays a GraphQLError with its stable code.
 */
import { isProblem, isUpstreamError } from '../upstream/errors.ts';
import { fromUpstream, type FieldNameMap } from './errors.ts';

export interface FieldErrorModel {
  readonly field: string | null;
  readonly message: string;
}

/** `fieldErrors` is a fresh array the payload owns (codegen's payload types want a mutable one). */
export type WriteOutcome<T> = { readonly value: T; fieldErrors: FieldErrorModel[] } | { readonly value: null; fieldErrors: FieldErrorModel[] };

/** Runs `write`; a bad_request (the vendor's 400, or our own check before sending) becomes field errors. */
export async function attemptWrite<T>(write: () => Promise<T>, fieldName: FieldNameMap = (field) => field): Promise<WriteOutcome<T>> {
  try {
    return { value: await write(), fieldErrors: [] };
  } catch (error) {
    if (isProblem(error, 'bad_request')) {
      const entries = Object.entries(error.problem.fieldErrors ?? {});
      const fieldErrors =
        entries.length === 0
          ? [{ field: null, message: error.message }]
          : entries.flatMap(([field, messages]) => messages.map((message) => ({ field: fieldName(field), message })));
      return { value: null, fieldErrors };
    }
    if (isUpstreamError(error)) throw fromUpstream(error, fieldName);
    throw error;
  }
}
