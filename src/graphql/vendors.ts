/** The process-wide vendor data sources resolvers delegate to. Built once by the composition root. */
import type { Vendor } from '../domain/vendor.ts';
import type { LearnedSupport } from '../upstream/capabilities.ts';
import type { UpstreamClient } from '../upstream/client.ts';
import type { CareCloudSource } from '../vendors/carecloud/index.ts';
import type { CareHqSource } from '../vendors/carehq/index.ts';
import type { CasewareSource } from '../vendors/caseware/index.ts';
import type { CliniceaSource } from '../vendors/clinicea/index.ts';
import type { GenericSource } from '../vendors/generic/index.ts';
import type { CursorCodec } from './connection.ts';

export interface QuotaReading {
  readonly limit: number;
  readonly used: number;
  readonly remaining: number;
  readonly exhausted: boolean;
  readonly resetsAt: Date;
}

/** What `vendorStatus` reports on, one per vendor. */
export interface VendorHandle {
  readonly vendor: Vendor;
  readonly mode: 'LIVE' | 'SIMULATOR';
  readonly client: UpstreamClient;
  /** Read where the count lives (Redis, when shared), so it may take a round trip. */
  readonly quota?: () => Promise<QuotaReading>;
  /** What the capability memory holds for this vendor. Default: nothing learnt. */
  readonly extensions?: () => readonly LearnedSupport[];
}

export interface Vendors {
  readonly carehq: CareHqSource;
  readonly clinicea: CliniceaSource;
  readonly caseware: CasewareSource;
  readonly carecloud: CareCloudSource;
  readonly generic: GenericSource;
  readonly handles: readonly VendorHandle[];
  readonly cursors: CursorCodec;
}
