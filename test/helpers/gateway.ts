/**
 * Starts every vendor simulator and a gateway pointed at them on free loopback ports, wired exactly as
 * main.ts wires the demo, so tests exercise the real HTTP path end to end.
 */
import { pino } from 'pino';
import { afterEach } from 'vitest';
import { loadConfig, type Config } from '../../src/config.ts';
import { startGateway, type Gateway, type GatewayOptions } from '../../src/server/gateway.ts';
import { simulatedVendors, vendorOptions } from '../../src/server/vendor-options.ts';
import { subscribeToSimulator } from '../../src/server/webhook-routes.ts';
import type { CareCloudSimulator } from '../../src/simulators/carecloud/server.ts';
import type { CareHqSimulator } from '../../src/simulators/carehq/server.ts';
import type { CasewareSimulator } from '../../src/simulators/caseware/server.ts';
import type { CliniceaSimulator } from '../../src/simulators/clinicea/server.ts';
import { startDemoSimulators, type DemoOptions, type DemoSimulators } from '../../src/simulators/demo.ts';
import type { GenericSimulator } from '../../src/simulators/generic/server.ts';

export interface TestStack {
  readonly carehq: CareHqSimulator;
  readonly clinicea: CliniceaSimulator;
  readonly caseware: CasewareSimulator;
  readonly carecloud: CareCloudSimulator;
  readonly generic: GenericSimulator;
  readonly gateway: Gateway;
  readonly url: string;
  close(): Promise<void>;
}

type VendorKey = 'carehq' | 'clinicea' | 'caseware' | 'carecloud' | 'generic';

export interface StackOptions extends DemoOptions {
  /** Gateway overrides; per-vendor ones are merged into what the simulators give. Caching is off by default. */
  readonly gateway?: Partial<Omit<GatewayOptions, VendorKey>> & { readonly [K in VendorKey]?: Partial<GatewayOptions[K]> };
  /**
   * The gateway's Generic webhook secret: `'from-simulator'` subscribes the gateway to the Generic simulator
   * as the demo does and trusts the secret it issues; a `whsec_` value is used as given. Default: none.
   */
  readonly webhookSecret?: 'from-simulator' | `whsec_${string}`;
}

/**
 * Whether this run's simulators are strict (serve only what each vendor documents): the `strict` vitest
 * project sets STRICT_SIMULATORS=1 and runs test/graphql/ again that way. Tests whose feature needs an
 * extension read this to expect the documented fallback or error instead.
 */
export const strictSimulators = process.env.STRICT_SIMULATORS === '1';

export async function startStack(options: StackOptions = {}): Promise<TestStack> {
  // Test files share a worker's modules (vitest.config.ts, isolate: false): a worker that ran one project's
  // files and then another's would keep the first one's reading above, and run the strict suite lax unseen.
  if ((process.env.STRICT_SIMULATORS === '1') !== strictSimulators) throw new Error('STRICT_SIMULATORS changed after test/helpers/gateway.ts was loaded');
  const config = loadConfig({ CACHE_TTL_MS: '0' });
  const sims = await startDemoSimulators(simulatedVendors(config), { strict: strictSimulators, ...options });
  const base = vendorOptions(config, sims);
  const g = options.gateway ?? {};
  const gateway = await startGateway({
    port: 0,
    host: '127.0.0.1',
    logger: pino({ level: 'silent' }),
    requestTimeoutMs: 15_000,
    ...g,
    modes: base.modes,
    carehq: { ...base.carehq, ...g.carehq },
    clinicea: { ...base.clinicea, ...g.clinicea },
    caseware: { ...base.caseware, ...g.caseware },
    carecloud: { ...base.carecloud, ...g.carecloud },
    generic: { ...base.generic, ...g.generic },
    ...(options.webhookSecret?.startsWith('whsec_') ? { genericWebhooks: { ...g.genericWebhooks, secrets: [options.webhookSecret] } } : {}),
  });
  const need = <T>(sim: T | undefined): T => {
    if (!sim) throw new Error('a simulator did not start');
    return sim;
  };
  if (options.webhookSecret === 'from-simulator') subscribeToSimulator(need(sims.generic), gateway.url, gateway.genericWebhooks);
  return {
    carehq: need(sims.carehq),
    clinicea: need(sims.clinicea),
    caseware: need(sims.caseware),
    carecloud: need(sims.carecloud),
    generic: need(sims.generic),
    gateway,
    url: gateway.url,
    close: async () => {
      await gateway.close();
      await sims.close();
    },
  };
}

/**
 * Every request any vendor saw, over HTTPS or SFTP, token requests included: "0 vendor calls" means this did
 * not move.
 */
export function vendorCalls(stack: TestStack): number {
  const { carehq, clinicea, caseware, carecloud, generic } = stack;
  return carehq.log.length + clinicea.log.length + caseware.log.length + carecloud.log.length + generic.log.length + (carecloud.sftp?.log.length ?? 0);
}

/** Requests the simulator saw for a path prefix (below the vendor prefix), e.g. `users`. */
export function callsTo(log: ReadonlyArray<{ path: string; method: string }>, prefix: string, method = 'GET'): number {
  return log.filter((entry) => entry.method === method && entry.path.startsWith(prefix)).length;
}

/**
 * Stacks a single test starts for itself, all closed after each test. Call once per file or describe:
 * `const ownStack = stacksPerTest();` then `const s = await ownStack({ ... })` inside a test.
 */
export function stacksPerTest(): (options?: StackOptions) => Promise<TestStack> {
  const open: TestStack[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });
  return async (options = {}) => {
    const started = await startStack(options);
    open.push(started);
    return started;
  };
}

/** One replica of several on simulators already running: silent, on a free loopback port, the caller closes it. */
export function startReplica(config: Config, sims: DemoSimulators, options: Partial<Omit<GatewayOptions, VendorKey>> = {}): Promise<Gateway> {
  return startGateway({
    port: 0,
    host: '127.0.0.1',
    logger: pino({ level: 'silent' }),
    requestTimeoutMs: 15_000,
    ...options,
    ...vendorOptions(config, sims),
  });
}
