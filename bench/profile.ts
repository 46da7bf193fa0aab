/**
 * `npm run bench:profile -- [warm|off|latency]` (after `npm run build`): the compiled gateway under the bench's
 * load with `--cpu-prof`, to see where a request's time goes: figure 1's query, cache warm or off, or figure 2's
 * one-call query over one connection, cache off (`latency`). Writes the
 * .cpuprofile into $PROFILE_DIR (default a temp directory) and prints the top functions by self time.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { data } from './client.ts';
import { benchKey, startGatewayProcess } from './gateway.ts';
import { load } from './load.ts';
import { ENQUIRIES_ONE_CALL, ENQUIRIES_SEARCH, ENQUIRIES_WITH_ASSIGNEES, SEARCH_TERMS } from './queries.ts';
import { startSimulators } from './sim-set.ts';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
}

const UNLIMITED = 1_000_000;
const mode = process.argv[2] === 'off' || process.argv[2] === 'latency' ? process.argv[2] : 'warm';
const dir = process.env.PROFILE_DIR ?? mkdtempSync(join(tmpdir(), 'vendor-graph-profile-'));

async function main(): Promise<void> {
  const sims = await startSimulators('simulators', Object.fromEntries(['carehq', 'clinicea', 'caseware', 'carecloud', 'generic'].map((v) => [v, { rate: UNLIMITED }])));
  const key = benchKey();
  const env = { CAREHQ_REQUESTS_PER_SECOND: '10000', CACHE_TTL_MS: mode === 'warm' ? '600000' : '0' };
  const gateway = await startGatewayProcess('gateway', sims.sims, key, env, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
  try {
    await data(gateway.url, key.headers, ENQUIRIES_WITH_ASSIGNEES);
    let next = 0;
    const body =
      mode === 'warm'
        ? JSON.stringify({ query: ENQUIRIES_WITH_ASSIGNEES })
        : mode === 'latency'
          ? JSON.stringify({ query: ENQUIRIES_ONE_CALL })
          : () => JSON.stringify({ query: ENQUIRIES_SEARCH, variables: { s: SEARCH_TERMS[next++ % SEARCH_TERMS.length] } });
    const connections = Number(process.env.CONNECTIONS ?? (mode === 'latency' ? 1 : 10));
    const result = await load({ url: gateway.url, body, headers: { 'content-type': 'application/json', ...key.headers }, connections, seconds: 5, failureMarker: '"errors"' });
    console.log(`${mode}: ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.p50Ms} ms, failures ${result.failures}`);
  } finally {
    await gateway.child.stop();
    await sims.child.stop();
  }
  const file = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort().at(-1);
  if (!file) throw new Error(`no profile in ${dir}`);
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  for (const id of profile.samples) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    const name = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/dist\//, 'dist/')}:${frame.lineNumber + 1}`;
    self.set(name, (self.get(name) ?? 0) + 1);
  }
  const total = profile.samples.length;
  console.log(`profile ${join(dir, file)}: top self time`);
  for (const [name, n] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`${((100 * n) / total).toFixed(1).padStart(5)}%  ${name}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
