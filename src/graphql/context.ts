import type { Logger } from 'pino';
import type { Principal } from '../domain/access.ts';
import type { EventFeed } from '../domain/events.ts';
import type { CallContext } from '../upstream/client.ts';
import type { Loaders } from './loaders.ts';
import type { Vendors } from './vendors.ts';

/** What every resolver gets: per-request loaders over process-wide vendor sources. */
export interface GraphQLContext {
  readonly vendors: Vendors;
  readonly loaders: Loaders;
  /** Priority and deadline every upstream call made for this request carries. */
  readonly call: CallContext;
  readonly logger: Logger;
  /** The request's id (server/request-id.ts), as its log lines and masked errors carry it. */
  readonly requestId: string;
  /** Who is calling and with which scopes; made once per request by the server's auth layer. */
  readonly principal: Principal;
  /** This gateway's own origin as clients reach it, for URLs it hands out (file downloads). */
  readonly publicUrl: string;
  /** A signed, expiring download URL for the File with this global id (src/server/download-urls.ts). */
  readonly downloadUrl: (fileId: string) => string;
  /** Live events: writes publish their changes here; `vendorEvents` subscribes. */
  readonly events: EventFeed;
  /** On a websocket: closes it when its subscriber falls too far behind. Absent on HTTP. */
  readonly dropSlowConsumer?: () => void;
}

/**
 * A request's context whose logger (a pino child bound to the request id) is made only when something logs:
 * most requests never do. A class, so the getter sits on the prototype: Apollo copies the context's own
 * properties into a fresh object for each operation, which would otherwise call a getter that is an own one.
 */
export class RequestContext implements GraphQLContext {
  private child: Logger | undefined;

  constructor(
    private readonly parts: Omit<GraphQLContext, 'logger'> & { readonly parentLogger: Logger },
  ) {}

  get vendors(): Vendors {
    return this.parts.vendors;
  }
  get loaders(): Loaders {
    return this.parts.loaders;
  }
  get call(): CallContext {
    return this.parts.call;
  }
  get requestId(): string {
    return this.parts.requestId;
  }
  get principal(): Principal {
    return this.parts.principal;
  }
  get publicUrl(): string {
    return this.parts.publicUrl;
  }
  get downloadUrl(): (fileId: string) => string {
    return this.parts.downloadUrl;
  }
  get events(): EventFeed {
    return this.parts.events;
  }
  get dropSlowConsumer(): (() => void) | undefined {
    return this.parts.dropSlowConsumer;
  }
  get logger(): Logger {
    return (this.child ??= this.parts.parentLogger.child({ requestId: this.parts.requestId }));
  }
}
