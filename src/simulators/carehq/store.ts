/** The records a CareHQ simulator holds: seeded at start, changed by the enquiry routes, open to tests. */
import type { CareHqEnquiry, CareHqUser } from '../../vendors/carehq/wire.ts';
import type { CareHqSettings } from './options.ts';
import { buildCareHqSeed } from './seed.ts';

export interface CareHqStore {
  readonly enquiries: Map<string, CareHqEnquiry>;
  readonly users: Map<string, CareHqUser>;
}

export function createCareHqStore(settings: CareHqSettings): CareHqStore {
  const seeded = buildCareHqSeed(settings);
  return { enquiries: seeded.enquiries, users: seeded.users };
}
