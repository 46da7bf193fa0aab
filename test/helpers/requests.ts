/** Raw HTTP for tests that look at status codes and headers, and a count of every call the vendors saw. */
import type { GraphQLResult } from './graphql.ts';

export interface RawAnswer<T> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

/** POSTs a GraphQL operation and keeps the status and headers. */
export async function postGraphQL<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<RawAnswer<GraphQLResult<T>>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLResult<T> };
}
