/** A graphql-ws client for tests: subscribes over a real websocket and hands events over one at a time. */
import { createClient, type Client } from 'graphql-ws';
import { expect } from 'vitest';
import WebSocket from 'ws';
import type { GraphQLResult } from './graphql.ts';

export interface Feed<T> {
  /** The next result the server sent (waits up to `timeoutMs`). */
  next(timeoutMs?: number): Promise<GraphQLResult<T>>;
  /** How the socket ended, once it has: the close code and reason. */
  readonly ended: Promise<{ code: number; reason: string }>;
  dispose(): Promise<void>;
}

/** `ws://` for an `http://` GraphQL URL: the same path serves both. */
export function wsUrl(graphqlUrl: string): string {
  return graphqlUrl.replace(/^http/, 'ws');
}

export function subscribe<T = Record<string, unknown>>(
  graphqlUrl: string,
  query: string,
  options: { connectionParams?: Record<string, string>; variables?: Record<string, unknown>; headers?: Record<string, string> } = {},
): Feed<T> {
  // What the server sent: a result, or an error message that ended the operation (graphql-ws's `error`).
  type Item = { result: GraphQLResult<T> } | { refused: unknown };
  const received: Item[] = [];
  const waiters: Array<(item: Item) => void> = [];
  const arrive = (item: Item) => {
    const waiter = waiters.shift();
    if (waiter) waiter(item);
    else received.push(item);
  };
  const settle = (item: Item): GraphQLResult<T> => {
    if ('result' in item) return item.result;
    throw new Error(`refused: ${JSON.stringify(item.refused)}`);
  };
  let resolveEnded: (value: { code: number; reason: string }) => void = () => undefined;
  const ended = new Promise<{ code: number; reason: string }>((resolve) => {
    resolveEnded = resolve;
  });
  const headers = options.headers;
  // ws takes headers as a constructor option; a browser could not send them, a router can.
  const Impl = headers
    ? class extends WebSocket {
        constructor(address: string, protocols?: string | string[]) {
          super(address, protocols, { headers });
        }
      }
    : WebSocket;
  const client: Client = createClient({
    url: wsUrl(graphqlUrl),
    webSocketImpl: Impl,
    retryAttempts: 0,
    lazy: false,
    // Tests read refusals from `ended`; graphql-ws would also print each to the console.
    onNonLazyError: () => undefined,
    ...(options.connectionParams ? { connectionParams: options.connectionParams } : {}),
    on: {
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        resolveEnded({ code, reason: String(reason) });
      },
    },
  });
  client.subscribe<T>(
    { query, variables: options.variables ?? {} },
    {
      next: (result) => arrive({ result: result as GraphQLResult<T> }),
      // A closed socket is reported through `ended`; an error message is the operation's refusal.
      error: (error) => {
        if (Array.isArray(error)) arrive({ refused: error });
      },
      complete: () => undefined,
    },
  );
  return {
    next: (timeoutMs = 10_000) => {
      const ready = received.shift();
      if (ready) return Promise.resolve().then(() => settle(ready));
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no event within ${timeoutMs} ms`)), timeoutMs);
        waiters.push((item) => {
          clearTimeout(timer);
          try {
            resolve(settle(item));
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
      });
    },
    ended,
    dispose: () => client.dispose() as Promise<void>,
  };
}

/** Waits until `count()` reaches `atLeast`: a subscription is live on the server only once its subscribe ran. */
export async function untilSubscribed(count: () => number, atLeast = 1): Promise<void> {
  await expect.poll(count, { timeout: 10_000, interval: 20 }).toBeGreaterThanOrEqual(atLeast);
}
