/**
 * The gateway as production runs it: the compiled build (`node dist/main.js`), NODE_ENV=production, every
 * vendor LIVE against the bench's simulators, and client authentication on with one bench API key (made with
 * newApiKey/hashApiKey, as `npm run keys` does), so what is measured includes the key check every real
 * request pays.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCOPES } from '../src/domain/access.ts';
import { hashApiKey, newApiKey } from '../src/server/auth/api-keys.ts';
import { start, type Child } from './processes.ts';
import type { SimulatorSet } from './sim-set.ts';

export interface BenchKey {
  /** `authorization: Bearer <key>`. */
  readonly headers: Readonly<Record<string, string>>;
  readonly file: string;
}

export function benchKey(): BenchKey {
  const key = newApiKey();
  const file = join(mkdtempSync(join(tmpdir(), 'vendor-graph-bench-')), 'api-keys.json');
  writeFileSync(file, JSON.stringify([{ name: 'bench', sha256: hashApiKey(key), scopes: [...SCOPES] }]), { mode: 0o600 });
  return { headers: { authorization: `Bearer ${key}` }, file };
}

export interface GatewayProcess {
  readonly url: string;
  readonly child: Child;
  /** The gateway's heap in use after two full collections, MiB. */
  heapMiB(): Promise<number>;
}

/** The variables that make every vendor LIVE against `sims`. */
export function liveVendorEnv(sims: SimulatorSet): Record<string, string> {
  const { carehq, clinicea, caseware, carecloud, generic } = sims;
  const c = (set: { credentials: Readonly<Record<string, string>> }, name: string): string => set.credentials[name] ?? '';
  return {
    CAREHQ_BASE_URL: carehq.baseUrl,
    CAREHQ_ACCOUNT_ID: c(carehq, 'accountId'),
    CAREHQ_API_KEY: c(carehq, 'apiKey'),
    CAREHQ_API_SECRET: c(carehq, 'apiSecret'),
    CLINICEA_BASE_URL: clinicea.baseUrl,
    CLINICEA_API_KEY: c(clinicea, 'apiKey'),
    CASEWARE_BASE_URL: caseware.baseUrl,
    CASEWARE_CLIENT_ID: c(caseware, 'clientId'),
    CASEWARE_CLIENT_SECRET: c(caseware, 'clientSecret'),
    CARECLOUD_BASE_URL: carecloud.baseUrl,
    CARECLOUD_API_KEY: c(carecloud, 'apiKey'),
    CARECLOUD_WORKSPACE_ID: c(carecloud, 'workspaceId'),
    CARECLOUD_BUCKET_ID: c(carecloud, 'bucketId'),
    GENERIC_BASE_URL: generic.baseUrl,
    GENERIC_TOKEN_URL: c(generic, 'tokenUrl'),
    GENERIC_CLIENT_ID: c(generic, 'clientId'),
    GENERIC_CLIENT_SECRET: c(generic, 'clientSecret'),
  };
}

/** The environment every bench gateway runs with: production, the bench key, every vendor live, then `env`. */
export function gatewayEnv(sims: SimulatorSet, key: BenchKey, env: Readonly<Record<string, string>>): Record<string, string> {
  return {
    NODE_ENV: 'production',
    API_KEYS_FILE: key.file,
    PUBLIC_URL: 'http://127.0.0.1',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'warn',
    // One bench client sends everything, far past a real client's per-minute limit.
    CLIENT_REQUESTS_PER_MINUTE: '10000000',
    ...liveVendorEnv(sims),
    ...env,
  };
}

export async function startGatewayProcess(
  name: string,
  sims: SimulatorSet,
  key: BenchKey,
  env: Readonly<Record<string, string>>,
  /** Extra node flags, e.g. `--cpu-prof` to profile the gateway under the bench's load. */
  nodeFlags: readonly string[] = [],
): Promise<GatewayProcess> {
  const child = start(name, [...nodeFlags, '--expose-gc', '--import', new URL('./heap-probe.mjs', import.meta.url).pathname, 'dist/main.js'], gatewayEnv(sims, key, env));
  const [, url = ''] = await child.waitFor(/GraphQL gateway ready at (\S+)/);
  let asked = 0;
  return {
    url,
    child,
    heapMiB: async () => {
      asked += 1;
      const seq = asked;
      process.kill(child.pid, 'SIGUSR2');
      const [, bytes = 'NaN'] = await child.waitFor(new RegExp(`BENCH_HEAP ${seq} (\\d+)`), 10_000);
      return Number(bytes) / (1024 * 1024);
    },
  };
}
