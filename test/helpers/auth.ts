/**
 * For auth tests: an HTTP client that keeps every response body (for the secrets scan), API key records made
 * the way `npm run keys` makes them, and a count of every vendor call the simulators saw.
 */
import type { ApiKeyRecord } from '../../src/config.ts';
import type { Scope } from '../../src/domain/access.ts';
import { hashApiKey, newApiKey } from '../../src/server/auth/api-keys.ts';
import type { GraphQLResult } from './graphql.ts';

export interface Reply<T = Record<string, unknown>> {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body as GraphQL JSON; empty when it was not JSON. */
  readonly body: GraphQLResult<T>;
}

/** Every response body this client has read, for `expectNoSecrets`. */
export class RecordingClient {
  readonly bodies: string[] = [];

  async request<T = Record<string, unknown>>(url: string | URL, init: RequestInit = {}): Promise<Reply<T>> {
    const response = await fetch(url, init);
    const text = await response.text();
    this.bodies.push(text);
    let body: GraphQLResult<T> = {};
    try {
      body = JSON.parse(text) as GraphQLResult<T>;
    } catch {
      body = {};
    }
    return { status: response.status, headers: response.headers, text, body };
  }

  /** POSTs a GraphQL operation with the given headers (credentials). */
  gql<T = Record<string, unknown>>(url: string, query: string, headers: Record<string, string> = {}, variables: Record<string, unknown> = {}) {
    return this.request<T>(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
  }
}

export interface IssuedKey {
  readonly key: string;
  readonly record: ApiKeyRecord;
}

/** A fresh key and the API_KEYS_FILE record for it. */
export function issueKey(name: string, scopes: readonly Scope[]): IssuedKey {
  const key = newApiKey();
  return { key, record: { name, sha256: hashApiKey(key), scopes } };
}


export const bearer = (credential: string): Record<string, string> => ({ authorization: `Bearer ${credential}` });
export const apiKey = (key: string): Record<string, string> => ({ 'x-api-key': key });
