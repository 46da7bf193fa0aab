/**
 * Starts the simulators for every vendor that has no real credentials, seeded so that cross-references
 * resolve: lead owners and file uploaders are users of the Generic API simulator. CareCloud runs its SFTP drop
 * too, so uploads with transport SFTP work out of the box.
 */
import {
  CARECLOUD_DEFAULT_BUCKET_IDS,
  CARECLOUD_DEFAULT_WORKSPACE_ID,
  startCareCloudSimulator,
  type CareCloudSimulator,
  type CareCloudSimulatorOptions,
} from './carecloud/server.ts';
import { startCareHqSimulator, type CareHqSimulator, type CareHqSimulatorOptions } from './carehq/server.ts';
import { startCasewareSimulator, type CasewareSimulator, type CasewareSimulatorOptions } from './caseware/server.ts';
import { startCliniceaSimulator, type CliniceaSimulator, type CliniceaSimulatorOptions } from './clinicea/server.ts';
import { startGenericSimulator, type GenericSimulator, type GenericSimulatorOptions } from './generic/server.ts';

export interface DemoSimulators {
  readonly carehq?: CareHqSimulator;
  readonly clinicea?: CliniceaSimulator;
  readonly caseware?: CasewareSimulator;
  readonly carecloud?: CareCloudSimulator;
  readonly generic?: GenericSimulator;
  /** Where CareCloud uploads go in the demo. */
  readonly carecloudTarget: { readonly workspaceId: string; readonly bucketId: string };
  close(): Promise<void>;
}

export type SimulatedVendor = 'carehq' | 'clinicea' | 'caseware' | 'carecloud' | 'generic';

/** Per-simulator options (tests turn knobs here); cross-reference ids are filled in unless given. */
export interface DemoOptions {
  readonly carehq?: CareHqSimulatorOptions;
  readonly clinicea?: CliniceaSimulatorOptions;
  readonly caseware?: CasewareSimulatorOptions;
  readonly carecloud?: CareCloudSimulatorOptions;
  readonly generic?: GenericSimulatorOptions;
  /** Every simulator in strict mode (each one's undocumented.ts); a simulator's own `strict` wins. Default false. */
  readonly strict?: boolean;
}

export async function startDemoSimulators(which: ReadonlySet<SimulatedVendor>, options: DemoOptions = {}): Promise<DemoSimulators> {
  const strict = { strict: options.strict ?? false };
  const generic = which.has('generic') ? await startGenericSimulator({ ...strict, ...options.generic }) : undefined;
  const directory = generic?.store.users.map((user) => user.id);
  const [carehq, clinicea, caseware, carecloud] = await Promise.all([
    which.has('carehq') ? startCareHqSimulator({ ...strict, ...options.carehq }) : undefined,
    which.has('clinicea')
      ? startCliniceaSimulator({ ...strict, ...(directory ? { ownerUserIds: directory } : {}), ...options.clinicea })
      : undefined,
    which.has('caseware') ? startCasewareSimulator({ ...strict, ...options.caseware }) : undefined,
    which.has('carecloud')
      ? startCareCloudSimulator({ ...strict, sftp: true, ...(directory ? { uploaderIds: directory } : {}), ...options.carecloud })
      : undefined,
  ]);
  const all = [generic, carehq, clinicea, caseware, carecloud].filter((sim) => sim !== undefined);
  return {
    generic,
    carehq,
    clinicea,
    caseware,
    carecloud,
    carecloudTarget: { workspaceId: CARECLOUD_DEFAULT_WORKSPACE_ID, bucketId: CARECLOUD_DEFAULT_BUCKET_IDS[0] ?? 'care-records' },
    close: async () => {
      await Promise.all(all.map((sim) => sim.close()));
    },
  };
}
