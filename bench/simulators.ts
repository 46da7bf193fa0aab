/**
 * The bench's simulators, in a process of their own so that their work never shares a core's event loop with
 * the gateway's: all five, started through the same entries as `npm run simulate`, with the `--rate` and
 * `--records` knobs given as JSON in argv[2] (`{"carehq":{"rate":10,"records":2000}}`; a vendor left out runs at
 * its documented limit with its default data). Credentials come from the vendors' variables, as with
 * `npm run simulate`. Prints one line, `BENCH_SIMULATORS <json>`, with each base URL and credentials, then
 * runs until SIGTERM.
 */
import { carecloudCli } from '../src/simulators/carecloud/cli-entry.ts';
import { CARECLOUD_DEFAULT_BUCKET_IDS, CARECLOUD_DEFAULT_WORKSPACE_ID } from '../src/simulators/carecloud/seed.ts';
import { carehqCli } from '../src/simulators/carehq/cli-entry.ts';
import { casewareCli } from '../src/simulators/caseware/cli-entry.ts';
import { cliniceaCli } from '../src/simulators/clinicea/cli-entry.ts';
import { genericCli } from '../src/simulators/generic/cli-entry.ts';
import type { SimKnobs } from '../src/simulators/knobs.ts';
import { READY_PREFIX, type BenchVendor, type SimulatorSet } from './sim-set.ts';

async function main(): Promise<void> {
  const knobs = JSON.parse(process.argv[2] ?? '{}') as Partial<Record<BenchVendor, SimKnobs>>;
  const env = process.env;
  const started = await Promise.all([
    carehqCli.start(0, carehqCli.envCredentials(env), knobs.carehq),
    cliniceaCli.start(0, cliniceaCli.envCredentials(env), knobs.clinicea),
    casewareCli.start(0, casewareCli.envCredentials(env), knobs.caseware),
    carecloudCli.start(0, carecloudCli.envCredentials(env), knobs.carecloud),
    genericCli.start(0, genericCli.envCredentials(env), knobs.generic),
  ]);
  const [carehq, clinicea, caseware, carecloud, generic] = started;
  const out: SimulatorSet = {
    carehq: { baseUrl: carehq.baseUrl, credentials: carehq.credentials, load: carehq.load },
    clinicea: { baseUrl: clinicea.baseUrl, credentials: clinicea.credentials, load: clinicea.load },
    caseware: { baseUrl: caseware.baseUrl, credentials: caseware.credentials, load: caseware.load },
    carecloud: {
      baseUrl: carecloud.baseUrl,
      credentials: { ...carecloud.credentials, workspaceId: CARECLOUD_DEFAULT_WORKSPACE_ID, bucketId: CARECLOUD_DEFAULT_BUCKET_IDS[0] },
      load: carecloud.load,
    },
    generic: { baseUrl: generic.baseUrl, credentials: generic.credentials, load: generic.load },
  };
  console.log(`${READY_PREFIX}${JSON.stringify(out)}`);
  const stop = () => void Promise.all(started.map((sim) => sim.close())).then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
