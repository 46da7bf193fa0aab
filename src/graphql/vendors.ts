/** The process-wide vendor data sources resolvers delegate to. Built once by the composition root. */
import type { CareHqSource } from '../vendors/carehq/index.ts';
import type { UpstreamClient } from '../upstream/client.ts';
import type { CursorCodec } from './connection.ts';

export interface Vendors {
  readonly carehq: CareHqSource;
  /** Every upstream client, for status reporting. */
  readonly clients: readonly UpstreamClient[];
  readonly cursors: CursorCodec;
}
