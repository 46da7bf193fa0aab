/**
 * All five vendor simulators in one process of their own, for gateways that run elsewhere: the cluster script
 * (`npm run cluster`) and the compose file's `simulators` service. It prints one line per simulator,
 * `simulator <vendor>: <base url>` (its request log is at `/__sim/log` on the same origin), then the variables
 * that point a gateway at all of them as live vendors, indented `NAME=value`, and last `simulators ready`.
 *
 *   node dist/simulators/serve-all.js [--host H] [--port N] [--rate VENDOR=R]... [--records VENDOR=N]... [--strict]
 *
 * `--port N` puts them on N..N+4 in the order of VENDORS; without it each takes a free port. Credentials come
 * from the vendors' own variables (CAREHQ_API_KEY, ...) when set, so a gateway given the same variables finds
 * them; otherwise fresh random ones are made and printed (they are a simulator's, worthless elsewhere).
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { CARECLOUD_DEFAULT_BUCKET_IDS, CARECLOUD_DEFAULT_WORKSPACE_ID, CARECLOUD_DEFAULT_WORKSPACES } from './carecloud/server.ts';
import { carecloudCli } from './carecloud/cli-entry.ts';
import { carehqCli } from './carehq/cli-entry.ts';
import { casewareCli } from './caseware/cli-entry.ts';
import { cliniceaCli } from './clinicea/cli-entry.ts';
import { startDemoSimulators, type DemoOptions, type DemoSimulators, type SimulatedVendor } from './demo.ts';
import { genericCli } from './generic/cli-entry.ts';
import { isEntryPoint } from '../entry-point.ts';

/** The last line printed once every simulator listens; what follows is only logging. */
export const SERVE_ALL_READY = 'simulators ready';

/** In the order `--port N` numbers them. */
export const VENDORS: readonly SimulatedVendor[] = Object.freeze(['carehq', 'clinicea', 'caseware', 'carecloud', 'generic']);

export interface ServeAllOptions {
  /** Address to listen on. Default 127.0.0.1. */
  readonly host?: string;
  /** First of five consecutive ports; 0 gives each a free port. Default 0. */
  readonly port?: number;
  /**
   * Requests per second each vendor allows: CareHQ's and Clinicea's window, Caseware's and CareCloud's bucket
   * (refill and burst alike), the Generic API's window made one second long. Default: each vendor's own.
   */
  readonly rates?: Partial<Readonly<Record<SimulatedVendor, number>>>;
  /** The size of each vendor's main list (enquiries, leads, clients, files, users). Default: each seed's own. */
  readonly records?: Partial<Readonly<Record<SimulatedVendor, number>>>;
  /** Where the vendors' credential variables are read. Default: none (fresh random credentials). */
  readonly env?: NodeJS.ProcessEnv;
  /** Every simulator serves only what its vendor documents (`--strict`; each one's undocumented.ts). Default false. */
  readonly strict?: boolean;
}

export interface ServedSimulators {
  readonly sims: DemoSimulators;
  /** Base URL per vendor. */
  readonly urls: Readonly<Record<SimulatedVendor, string>>;
  /** The variables that make a gateway use these simulators as its live vendors (see src/config.ts). */
  readonly gatewayEnv: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

const secret = (prefix: string) => `${prefix}-${randomBytes(12).toString('hex')}`;

export async function serveAll(options: ServeAllOptions = {}): Promise<ServedSimulators> {
  const env = options.env ?? {};
  const rates = options.rates ?? {};
  const records = options.records ?? {};
  const portOf = (vendor: SimulatedVendor) => (options.port ? options.port + VENDORS.indexOf(vendor) : 0);
  const listen = (vendor: SimulatedVendor) => ({ port: portOf(vendor), ...(options.host ? { host: options.host } : {}) });

  const carehq = carehqCli.envCredentials(env) ?? { accountId: secret('acct'), apiKey: secret('key'), apiSecret: secret('secret') };
  const clinicea = cliniceaCli.envCredentials(env) ?? { apiKey: secret('clinicea') };
  const caseware = casewareCli.envCredentials(env) ?? { clientId: secret('client'), clientSecret: secret('secret') };
  const carecloud = carecloudCli.envCredentials(env) ?? { apiKey: secret('carecloud') };
  const generic = genericCli.envCredentials(env) ?? { clientId: secret('client'), clientSecret: secret('secret') };
  const workspaceId = env.CARECLOUD_WORKSPACE_ID || CARECLOUD_DEFAULT_WORKSPACE_ID;
  const bucketId = env.CARECLOUD_BUCKET_ID || (CARECLOUD_DEFAULT_BUCKET_IDS[0] ?? 'care-records');

  const demo: DemoOptions = {
    strict: options.strict ?? false,
    carehq: { ...listen('carehq'), credentials: carehq, perSecond: rates.carehq, enquiries: records.carehq },
    clinicea: { ...listen('clinicea'), credentials: clinicea, perSecond: rates.clinicea, leadCount: records.clinicea },
    caseware: {
      ...listen('caseware'),
      credentials: { clientId: caseware.clientId, clientSecret: caseware.clientSecret },
      ...('firm' in caseware && caseware.firm ? { firm: caseware.firm } : {}),
      ...(rates.caseware ? { limits: { replenishRate: rates.caseware, burstCapacity: rates.caseware } } : {}),
      entities: records.caseware,
    },
    carecloud: {
      ...listen('carecloud'),
      credentials: carecloud,
      // The gateways reach CareCloud over HTTPS only; an SFTP drop would need a key handed to each of them.
      sftp: false,
      workspaces: { ...CARECLOUD_DEFAULT_WORKSPACES, [workspaceId]: [bucketId] },
      ...(rates.carecloud ? { limits: { ratePerSecond: rates.carecloud, burst: rates.carecloud } } : {}),
      fileCount: records.carecloud,
    },
    generic: {
      ...listen('generic'),
      credentials: generic,
      ...(rates.generic ? { limits: { limit: rates.generic, windowSeconds: 1 } } : {}),
      userCount: records.generic,
    },
  };
  const sims = await startDemoSimulators(new Set(VENDORS), demo);
  const need = <T>(sim: T | undefined, vendor: string): T => {
    if (sim === undefined) throw new Error(`the ${vendor} simulator did not start`);
    return sim;
  };
  const [hq, cl, cw, cc, gn] = [need(sims.carehq, 'carehq'), need(sims.clinicea, 'clinicea'), need(sims.caseware, 'caseware'), need(sims.carecloud, 'carecloud'), need(sims.generic, 'generic')];
  const urls = { carehq: hq.baseUrl, clinicea: cl.baseUrl, caseware: cw.baseUrl, carecloud: cc.baseUrl, generic: gn.baseUrl };
  const gatewayEnv: Record<string, string> = {
    CAREHQ_BASE_URL: hq.baseUrl,
    CAREHQ_ACCOUNT_ID: carehq.accountId,
    CAREHQ_API_KEY: carehq.apiKey,
    CAREHQ_API_SECRET: carehq.apiSecret,
    CLINICEA_BASE_URL: cl.baseUrl,
    CLINICEA_API_KEY: clinicea.apiKey,
    CASEWARE_BASE_URL: cw.baseUrl,
    CASEWARE_CLIENT_ID: caseware.clientId,
    CASEWARE_CLIENT_SECRET: caseware.clientSecret,
    CARECLOUD_BASE_URL: cc.baseUrl,
    CARECLOUD_API_KEY: carecloud.apiKey,
    CARECLOUD_WORKSPACE_ID: workspaceId,
    CARECLOUD_BUCKET_ID: bucketId,
    GENERIC_BASE_URL: gn.baseUrl,
    GENERIC_TOKEN_URL: gn.tokenUrl,
    GENERIC_CLIENT_ID: generic.clientId,
    GENERIC_CLIENT_SECRET: generic.clientSecret,
    // The gateway's documented seeds should match what the simulators were told; the rest it learns from headers.
    ...(rates.carehq ? { CAREHQ_REQUESTS_PER_SECOND: String(rates.carehq) } : {}),
    ...(rates.clinicea ? { CLINICEA_REQUESTS_PER_SECOND: String(rates.clinicea) } : {}),
    ...(rates.carecloud ? { CARECLOUD_RATE_PER_SECOND: String(rates.carecloud), CARECLOUD_BURST: String(rates.carecloud) } : {}),
    ...(rates.generic ? { GENERIC_REQUESTS_PER_WINDOW: String(rates.generic), GENERIC_WINDOW_SECONDS: '1' } : {}),
  };
  return { sims, urls, gatewayEnv: Object.freeze(gatewayEnv), close: () => sims.close() };
}

/** `VENDOR=N` pairs, each vendor known and each N a whole number of at least 1. */
export function vendorNumbers(flag: string, pairs: readonly string[]): Partial<Record<SimulatedVendor, number>> {
  const out: Partial<Record<SimulatedVendor, number>> = {};
  for (const pair of pairs) {
    const [vendor, value, ...rest] = pair.split('=');
    const n = Number(value);
    if (!VENDORS.includes(vendor as SimulatedVendor) || rest.length > 0 || !Number.isInteger(n) || n < 1) {
      throw new Error(`expected ${flag} VENDOR=N with VENDOR one of ${VENDORS.join(', ')} and N a whole number >= 1, got "${pair}"`);
    }
    out[vendor as SimulatedVendor] = n;
  }
  return out;
}

function parseCommandLine(argv: readonly string[]): ServeAllOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      rate: { type: 'string', multiple: true },
      records: { type: 'string', multiple: true },
      strict: { type: 'boolean' },
    },
  });
  const port = Number(values.port ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65531) throw new Error(`expected --port to be 0..65531 (five ports from it), got "${values.port ?? ''}"`);
  return {
    port,
    ...(values.host ? { host: values.host } : {}),
    rates: vendorNumbers('--rate', values.rate ?? []),
    records: vendorNumbers('--records', values.records ?? []),
    strict: values.strict ?? false,
  };
}

async function main(): Promise<void> {
  const served = await serveAll({ ...parseCommandLine(process.argv.slice(2)), env: process.env });
  const lines = [
    ...VENDORS.map((vendor) => `simulator ${vendor}: ${served.urls[vendor]}`),
    'gateway environment (every vendor live against these simulators):',
    ...Object.entries(served.gatewayEnv).map(([name, value]) => `  ${name}=${value}`),
    SERVE_ALL_READY,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const stop = () => void served.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}


if (isEntryPoint(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
