/**
 * Live updates: the `EnquiryEvents` subscription over graphql-ws, on the gateway's own `/graphql` path. The key
 * travels in `connection_init` (a browser cannot set headers on a websocket), so a new key means a new
 * connection.
 */
import { createClient, type Client } from 'graphql-ws/client';
import type { EnquiryEventsSubscription } from './gql/graphql.ts';
import { EnquiryEvents } from './operations.ts';

export type EnquiryEvent = EnquiryEventsSubscription['vendorEvents'];

export interface LiveFeed {
  /** Reconnects with this key (empty: none, as in open local mode). */
  useKey(key: string): void;
}

export function liveEnquiries(graphqlUrl: string, onEvent: (event: EnquiryEvent) => void, onProblem: (message: string) => void): LiveFeed {
  const url = graphqlUrl.replace(/^http/, 'ws');
  let client: Client | undefined;
  let stop: (() => void) | undefined;
  return {
    useKey(key) {
      stop?.();
      void client?.dispose();
      client = createClient({ url, connectionParams: key ? { 'x-api-key': key } : {}, lazy: true, retryAttempts: 3 });
      stop = client.subscribe<EnquiryEventsSubscription>(
        { query: EnquiryEvents.toString() },
        {
          next: (result) => {
            if (result.data) onEvent(result.data.vendorEvents);
            else if (result.errors) onProblem(result.errors.map((e) => e.message).join('; '));
          },
          error: (error) => onProblem(error instanceof Error ? error.message : `live updates stopped (${describe(error)})`),
          complete: () => undefined,
        },
      );
    },
  };
}

function describe(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const { code, reason } = error as { code: number; reason?: string };
    return reason ? `${code}: ${reason}` : String(code);
  }
  return 'connection failed';
}
