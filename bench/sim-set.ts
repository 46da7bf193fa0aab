/** The bench's simulators process (./simulators.ts) as the runner sees it: how to start it and what it reports. */
import type { SimKnobs } from '../src/simulators/knobs.ts';
import { start, type Child } from './processes.ts';

export const VENDORS = ['carehq', 'clinicea', 'caseware', 'carecloud', 'generic'] as const;
export type BenchVendor = (typeof VENDORS)[number];

export interface StartedSimulator {
  readonly baseUrl: string;
  readonly credentials: Readonly<Record<string, string>>;
  /** What `--rate` and `--records` made of it, in words. */
  readonly load: string;
}

export type SimulatorSet = Readonly<Record<BenchVendor, StartedSimulator>>;

export const READY_PREFIX = 'BENCH_SIMULATORS ';

export interface RunningSimulators {
  readonly sims: SimulatorSet;
  readonly child: Child;
}

/** `env` may carry vendor credentials (CAREHQ_ACCOUNT_ID, ...), read as `npm run simulate` reads them. */
export async function startSimulators(
  name: string,
  knobs: Partial<Record<BenchVendor, SimKnobs>>,
  env: Readonly<Record<string, string>> = {},
): Promise<RunningSimulators> {
  const child = start(name, ['--import', 'tsx', new URL('./simulators.ts', import.meta.url).pathname, JSON.stringify(knobs)], env);
  const [, json = '{}'] = await child.waitFor(new RegExp(`${READY_PREFIX}(.+)`));
  return { sims: JSON.parse(json) as SimulatorSet, child };
}
