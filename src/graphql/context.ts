import type { Logger } from 'pino';
import type { Principal } from '../domain/access.ts';
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
}
